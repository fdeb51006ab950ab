package kz.ehr.billing.fraud;

import java.util.Optional;

/** A rule that needs only the patient's own facts; re-run whenever a fact about the patient arrives. */
public interface PersonRule {
    String id();

    /** The readable reason when the rule fires for {@code visit}. */
    Optional<String> check(ScreenedVisit visit, PersonContext person, FraudPolicy policy);
}
