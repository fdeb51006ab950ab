package kz.ehr.billing.fraud;

import java.util.Optional;

/** A service dated after the patient's death (3,640 services to 996 dead people). */
public final class VisitAfterDeathRule implements PersonRule {
    public static final String ID = "VISIT_AFTER_DEATH";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<String> check(ScreenedVisit visit, PersonContext person, FraudPolicy policy) {
        if (person.deathDate() != null && visit.date().isAfter(person.deathDate())) {
            return Optional.of("Visit on " + visit.date() + " is dated after the patient's death on " + person.deathDate() + ".");
        }
        return Optional.empty();
    }
}
