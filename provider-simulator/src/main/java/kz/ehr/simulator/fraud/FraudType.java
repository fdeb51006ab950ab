package kz.ehr.simulator.fraud;

/** Labels of injected fake reporting (приписки), written to truth-fraud.csv. */
public enum FraudType {
    /** A service dated after the patient's death. */
    VISIT_AFTER_DEATH("VISIT_AFTER_DEATH"),
    /** One of the visits of a doctor who "saw" far more patients in a day than the cap. */
    OVERLOADED_DOCTOR("DOCTOR_DAILY_CAP"),
    /** A screening outside its target sex (cervical or breast screening for a man). */
    WRONG_SEX_SCREENING("SCREENING_OUTSIDE_TARGET_GROUP"),
    /** A second booking of the same service for the same person, date and provider. */
    DUPLICATE("DUPLICATE_SERVICE"),
    /** An outpatient visit while the patient was admitted to a 24-hour hospital. */
    VISIT_DURING_HOSPITAL_STAY("VISIT_DURING_HOSPITAL_STAY"),
    /** A visit by a polyclinic that attached a person still attached to another polyclinic (attached twice at once). */
    DOUBLE_ATTACHMENT("ATTACHED_TWICE"),
    /** A visit to a person a polyclinic made up: an IIN no other record shows, attached there, never insured. */
    GHOST_PATIENT("GHOST_PATIENT"),
    /** A visit at one polyclinic while its doctor (a national doctor id) is busy with a visit at another. */
    DOCTOR_TWO_POLYCLINICS("DOCTOR_TWO_POLYCLINICS");

    /** The billing fraud monitor's rule meant to catch this kind (billing-service README), for per-rule recall. */
    public final String ruleId;

    FraudType(String ruleId) {
        this.ruleId = ruleId;
    }
}
