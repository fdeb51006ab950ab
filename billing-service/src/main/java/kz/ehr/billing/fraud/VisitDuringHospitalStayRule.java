package kz.ehr.billing.fraud;

import java.util.Optional;

/** An outpatient visit while the patient is admitted to a 24-hour hospital elsewhere. */
public final class VisitDuringHospitalStayRule implements PersonRule {
    public static final String ID = "VISIT_DURING_HOSPITAL_STAY";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<String> check(ScreenedVisit visit, PersonContext person, FraudPolicy policy) {
        if ("TELEMEDICINE".equals(visit.kind())) {
            return Optional.empty(); // a remote consultation of an inpatient is plausible
        }
        return person.stays().stream()
                .filter(s -> !s.facilityBin().equals(visit.polyclinicBin()) && s.covers(visit.start()))
                .findFirst()
                .map(s -> "Outpatient visit on " + visit.date() + " while the patient was admitted to hospital " + s.facilityBin()
                        + " (since " + s.admittedAt() + (s.dischargedAt() == null ? ", not discharged" : ", discharged " + s.dischargedAt()) + ").");
    }
}
