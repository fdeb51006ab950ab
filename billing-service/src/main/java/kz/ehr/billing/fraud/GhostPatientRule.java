package kz.ehr.billing.fraud;

import java.util.Optional;

/**
 * A ghost patient: visits for an IIN that no other record has ever shown. Nothing is known of the person except what the
 * visiting polyclinic itself sent: no ОСМС insurance record (every resident has an insured or not-insured status), no
 * hospital stay, no death, no attachment to or visit at any other polyclinic, under any identifier the patient index
 * linked to this person. The polyclinic's own attachment (which is what it is paid for) does not make the person real.
 * Runs only with {@code billing.fraud.ghost-patients} (the absence of an insurance record means something only when
 * the fund's statuses reach billing for every resident).
 */
public final class GhostPatientRule implements PersonRule {
    public static final String ID = "GHOST_PATIENT";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<String> check(ScreenedVisit visit, PersonContext person, FraudPolicy policy) {
        PersonContext.Evidence e = person.evidence();
        if (!policy.ghostPatients() || e.insuranceOnRecord() || !person.stays().isEmpty() || person.deathDate() != null) {
            return Optional.empty();
        }
        if (person.attachments().stream().anyMatch(a -> !a.polyclinicBin().equals(visit.polyclinicBin()))
                || e.visitPolyclinics().stream().anyMatch(b -> !b.equals(visit.polyclinicBin()))) {
            return Optional.empty();
        }
        return Optional.of("Visit on " + visit.date() + " by polyclinic " + visit.polyclinicBin() + " to a patient no other record shows: "
                + "no insurance status, hospital stay or death on record, and no other polyclinic has attached or seen the patient"
                + (person.attachments().isEmpty() ? "." : " (only this polyclinic's own attachment)."));
    }
}
