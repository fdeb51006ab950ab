package kz.ehr.simulator.fraud;

/** Labels of injected fake reporting (приписки), written to truth-fraud.csv. */
public enum FraudType {
    /** A service dated after the patient's death. */
    VISIT_AFTER_DEATH,
    /** One of the visits of a doctor who "saw" far more patients in a day than the cap. */
    OVERLOADED_DOCTOR,
    /** A screening outside its target sex (cervical or breast screening for a man). */
    WRONG_SEX_SCREENING,
    /** A second booking of the same service for the same person, date and provider. */
    DUPLICATE,
    /** An outpatient visit while the patient was admitted to a 24-hour hospital. */
    VISIT_DURING_HOSPITAL_STAY
}
