package kz.ehr.billing.fraud;

/** A rule fired for a visit; the reason is a sentence a reviewer can read (no personal data). */
public record Finding(String visitKey, String ruleId, String reason) {
}
