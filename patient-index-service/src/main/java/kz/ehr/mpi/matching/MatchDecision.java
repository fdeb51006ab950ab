package kz.ehr.mpi.matching;

/**
 * What to do with an incoming source record.
 *
 * @param outcome      link, open a review, or start a new enterprise patient
 * @param enterpriseId the enterprise patient to link to (LINK) or the one under review (REVIEW); null for NEW
 * @param score        the Fellegi-Sunter score against that patient (best source record), null when none
 * @param reason       a sentence for the link history, without personal data
 */
public record MatchDecision(Outcome outcome, ReviewKind reviewKind, String enterpriseId, Double score, String reason) {
    public enum Outcome {
        /** valid IIN with agreeing birth date, sex and name */
        LINK_DETERMINISTIC,
        /** score above the upper threshold */
        LINK_PROBABILISTIC,
        /** a new enterprise patient for now, and a review of the pair */
        REVIEW,
        NEW
    }

    public enum ReviewKind {
        /** score between the thresholds */
        POSSIBLE_MATCH,
        /** same IIN, clearly different demographics */
        IIN_CONFLICT,
        /** strong demographic match but two different valid IINs: never auto-linked */
        DIFFERENT_IIN
    }

    public boolean links() {
        return outcome == Outcome.LINK_DETERMINISTIC || outcome == Outcome.LINK_PROBABILISTIC;
    }

    public static MatchDecision newPatient(String reason) {
        return new MatchDecision(Outcome.NEW, null, null, null, reason);
    }
}
