package kz.ehr.mpi.matching;

import java.util.Comparator;
import java.util.List;

import kz.ehr.identity.Iin;

/**
 * Decides a source record against candidate enterprise patients found by blocking. Deterministic: the same
 * record and candidates always give the same decision (ties go to the smaller enterprise id).
 */
public final class Matcher {
    /** One enterprise patient under consideration with the profiles of its source records. */
    public record Candidate(String enterpriseId, String goldenIin, List<MatchProfile> sources) {
    }

    private final FellegiSunterScorer scorer;
    private final double upper;
    private final double lower;

    /**
     * @param upper auto-link at or above this score
     * @param lower open a review at or above this score (and below {@code upper})
     */
    public Matcher(FellegiSunterScorer scorer, double upper, double lower) {
        if (lower > upper) {
            throw new IllegalArgumentException("lower threshold " + lower + " is above the upper " + upper);
        }
        this.scorer = scorer;
        this.upper = upper;
        this.lower = lower;
    }

    public FellegiSunterScorer scorer() {
        return scorer;
    }

    public MatchDecision decide(MatchProfile incoming, List<Candidate> candidates) {
        if (incoming.unidentifiable()) {
            return MatchDecision.newPatient("UNIDENTIFIABLE: no IIN and no name, never matched automatically");
        }
        MatchDecision best = null;
        int sameChild = 0;
        for (Candidate c : candidates.stream().sorted(Comparator.comparing(Candidate::enterpriseId)).toList()) {
            MatchDecision d = decideOne(incoming, c);
            if (d != null && d.reason().startsWith(SAME_CHILD)) {
                sameChild++;
            }
            if (d != null && (best == null || rank(d) > rank(best))) {
                best = d;
            }
        }
        if (sameChild > 1 && best.reason().startsWith(SAME_CHILD)) {
            // twins of one mother, born the same day, of one sex and not yet named: a person tells them apart
            return new MatchDecision(MatchDecision.Outcome.REVIEW, MatchDecision.ReviewKind.POSSIBLE_MATCH, best.enterpriseId(),
                    best.score(), "NEWBORN_AMBIGUOUS: " + sameChild + " newborns of the same mother and birth date fit");
        }
        return best != null ? best : MatchDecision.newPatient("NO_CANDIDATE: nothing above the review threshold");
    }

    /** Links beat reviews; within a kind the higher score wins; strict '>' keeps the first (smallest id) on ties. */
    private static double rank(MatchDecision d) {
        double base = switch (d.outcome()) {
            case LINK_DETERMINISTIC -> 3000;
            case LINK_PROBABILISTIC -> 2000;
            case REVIEW -> 1000;
            case NEW -> 0;
        };
        return base + (d.score() == null ? 0 : d.score());
    }

    private MatchDecision decideOne(MatchProfile incoming, Candidate c) {
        switch (kin(incoming, c)) {
            case MOTHER, SIBLING -> {
                return null;
            }
            case SAME_CHILD -> {
                return new MatchDecision(MatchDecision.Outcome.LINK_DETERMINISTIC, null, c.enterpriseId(), bestScore(incoming, c),
                        SAME_CHILD + ": own IIN record of a newborn of the same mother and birth date; sex and first name"
                                + " do not differ");
            }
            case UNCERTAIN_CHILD -> {
                return new MatchDecision(MatchDecision.Outcome.REVIEW, MatchDecision.ReviewKind.POSSIBLE_MATCH, c.enterpriseId(),
                        bestScore(incoming, c), "NEWBORN_UNCERTAIN: a newborn of the same mother and birth date, neither record"
                                + " with an IIN of its own: the same child or a twin");
            }
            default -> {
            }
        }
        if (cannotReachAThreshold(incoming, c)) {
            return null;
        }
        int[] bestLevels = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (MatchProfile source : c.sources()) {
            int[] levels = scorer.compare(incoming, source);
            double s = scorer.score(levels);
            if (s > bestScore) {
                bestScore = s;
                bestLevels = levels;
            }
        }
        if (bestLevels == null) {
            return null;
        }
        String goldenIin = c.goldenIin();
        boolean goldenValid = Iin.isValid(goldenIin);
        double demographic = scorer.scoreWithoutIin(bestLevels);
        if (incoming.iinValid && goldenValid && incoming.iin.equals(goldenIin)) {
            boolean agrees = Iin.agreesWith(incoming.iin, incoming.birthDate, incoming.sex);
            if (agrees && nameCompatible(bestLevels)) {
                return new MatchDecision(MatchDecision.Outcome.LINK_DETERMINISTIC, null, c.enterpriseId(), bestScore,
                        "DETERMINISTIC: valid IIN with agreeing birth date, sex and name");
            }
            if (demographic >= lower) {
                return new MatchDecision(MatchDecision.Outcome.LINK_PROBABILISTIC, null, c.enterpriseId(), bestScore,
                        "PROBABILISTIC: same IIN, demographics agree on balance");
            }
            return new MatchDecision(MatchDecision.Outcome.REVIEW, MatchDecision.ReviewKind.IIN_CONFLICT, c.enterpriseId(),
                    bestScore, "IIN_CONFLICT: same IIN but clearly different demographics");
        }
        if (trusted(incoming) && goldenValid && goldenTrusted(c)) {
            // two different valid IINs are two people unless a person decides otherwise; an IIN that passes the
            // check digit but contradicts its own record's birth date or sex is a typo, not a second identity
            return demographic >= upper
                    ? new MatchDecision(MatchDecision.Outcome.REVIEW, MatchDecision.ReviewKind.DIFFERENT_IIN, c.enterpriseId(),
                    bestScore, "DIFFERENT_IIN: demographics match but the valid IINs differ")
                    : null;
        }
        if (bestScore >= upper && looksLikeARelative(bestLevels)) {
            return new MatchDecision(MatchDecision.Outcome.REVIEW, MatchDecision.ReviewKind.POSSIBLE_MATCH, c.enterpriseId(),
                    bestScore, "POSSIBLE_MATCH: strong family resemblance but a different first name or sex");
        }
        if (bestScore >= upper) {
            return new MatchDecision(MatchDecision.Outcome.LINK_PROBABILISTIC, null, c.enterpriseId(), bestScore,
                    "PROBABILISTIC: score above the upper threshold");
        }
        if (bestScore >= lower) {
            return new MatchDecision(MatchDecision.Outcome.REVIEW, MatchDecision.ReviewKind.POSSIBLE_MATCH, c.enterpriseId(),
                    bestScore, "POSSIBLE_MATCH: score between the thresholds");
        }
        return null;
    }

    /** How a record and a candidate are related through a mother's IIN (API.md patient.motherIin). */
    private enum Kin { NONE, MOTHER, SIBLING, UNCERTAIN_CHILD, SAME_CHILD }

    private static final String SAME_CHILD = "NEWBORN_SAME_CHILD";

    /**
     * A newborn is a person of its own: a record naming a mother never joins the mother's patient (its golden or any
     * source IIN is hers), and a mother's record never joins a patient one of whose records names her as mother.
     * Two records naming one mother, born the same day, are siblings (twins: never linked, not sent to review) when
     * their sexes, their own valid IINs or their first names differ. Otherwise they are the same child when one of them
     * carries the child's own valid IIN (the IIN record that arrives after the birth), and a question for a person
     * when neither does (one child recorded twice, or same-sex twins not yet named).
     */
    private static Kin kin(MatchProfile in, Candidate c) {
        if (in.motherIin != null && in.motherIin.equals(c.goldenIin())) {
            return Kin.MOTHER;
        }
        Kin found = Kin.NONE;
        for (MatchProfile s : c.sources()) {
            if ((in.motherIin != null && in.motherIin.equals(s.iin)) || (in.iin != null && in.iin.equals(s.motherIin))) {
                return Kin.MOTHER;
            }
            if (in.motherIin != null && in.motherIin.equals(s.motherIin) && in.birthDate != null
                    && in.birthDate.equals(s.birthDate)) {
                Kin k = !sameChild(in, s) ? Kin.SIBLING : in.iinValid || s.iinValid ? Kin.SAME_CHILD : Kin.UNCERTAIN_CHILD;
                found = found == Kin.SIBLING || k == Kin.SIBLING ? Kin.SIBLING : k.ordinal() > found.ordinal() ? k : found;
            }
        }
        return found;
    }

    private static boolean sameChild(MatchProfile a, MatchProfile b) {
        if (a.sex != null && b.sex != null && !a.sex.equals(b.sex)) {
            return false;
        }
        if (a.iinValid && b.iinValid && !a.iin.equals(b.iin)) {
            return false;
        }
        return a.first == null || b.first == null
                || Comparators.name(a.first, b.first) != MatchField.FIRST_NAME.disagreement();
    }

    private double bestScore(MatchProfile incoming, Candidate c) {
        double best = Double.NEGATIVE_INFINITY;
        for (MatchProfile source : c.sources()) {
            best = Math.max(best, scorer.score(scorer.compare(incoming, source)));
        }
        return best;
    }

    /**
     * Most blocked candidates share a surname prefix or a birth date and nothing else. When no source of the
     * candidate could score up to the lower threshold, nor its demographics up to the upper one (the DIFFERENT_IIN
     * review), every rule below returns nothing, so names need not be compared. A candidate with the record's own IIN
     * as its golden IIN is always compared: the deterministic and IIN-conflict rules do not depend on the score.
     */
    private boolean cannotReachAThreshold(MatchProfile incoming, Candidate c) {
        if (incoming.iin != null && incoming.iin.equals(c.goldenIin())) {
            return false;
        }
        for (MatchProfile source : c.sources()) {
            double bound = scorer.upperBound(incoming, source);
            if (bound >= lower || bound - scorer.iinWeight(incoming, source) >= upper) {
                return false;
            }
        }
        return true;
    }

    /**
     * Twins and siblings share surname, patronymic, birth date, address and often the phone: summed, that
     * outweighs any single disagreement. A clearly different first name, or a different sex without an
     * identical first name, is what tells them apart, so such pairs are never linked without a person.
     */
    private static boolean looksLikeARelative(int[] levels) {
        int first = levels[MatchField.FIRST_NAME.ordinal()];
        int sex = levels[MatchField.SEX.ordinal()];
        return first == MatchField.FIRST_NAME.disagreement() || (sex == 1 && first != 0);
    }

    private static boolean trusted(MatchProfile p) {
        return p.iinValid && Iin.agreesWith(p.iin, p.birthDate, p.sex);
    }

    private static boolean goldenTrusted(Candidate c) {
        for (MatchProfile s : c.sources()) {
            if (c.goldenIin().equals(s.iin) && trusted(s)) {
                return true;
            }
        }
        return false;
    }

    /** Names do not contradict: missing, or last or first name similar in the better orientation. */
    private static boolean nameCompatible(int[] levels) {
        int last = levels[MatchField.LAST_NAME.ordinal()];
        int first = levels[MatchField.FIRST_NAME.ordinal()];
        if (last < 0 && first < 0) {
            return true;
        }
        return (last >= 0 && last <= 2) || (first >= 0 && first <= 2);
    }
}
