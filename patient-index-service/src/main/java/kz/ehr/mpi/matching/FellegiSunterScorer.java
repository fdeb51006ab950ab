package kz.ehr.mpi.matching;

/**
 * Compares two profiles field by field and sums the log2(m/u) weights of the agreement levels. First and
 * last name are also compared crosswise and the better orientation counts, because swapped name fields are
 * a common MIS data-entry error.
 */
public final class FellegiSunterScorer {
    private final MatchWeights weights;

    public FellegiSunterScorer(MatchWeights weights) {
        this.weights = weights;
    }

    public MatchWeights weights() {
        return weights;
    }

    /** Agreement levels indexed by {@link MatchField#ordinal()}, -1 for missing. */
    public int[] compare(MatchProfile a, MatchProfile b) {
        int[] straight = levels(a, b, false);
        if (a.last == null || a.first == null || b.last == null || b.first == null) {
            return straight;
        }
        int[] swapped = levels(a, b, true);
        return score(swapped) > score(straight) ? swapped : straight;
    }

    private static int[] levels(MatchProfile a, MatchProfile b, boolean swapNames) {
        int[] v = new int[MatchField.values().length];
        v[MatchField.IIN.ordinal()] = Comparators.iin(a.iin, b.iin);
        if (swapNames) {
            // a's last name is compared with b's first name, using given-name forms on both sides
            v[MatchField.LAST_NAME.ordinal()] = Comparators.name(a.first, b.lastSkeleton);
            v[MatchField.FIRST_NAME.ordinal()] = Comparators.name(a.lastSkeleton, b.first);
        } else {
            v[MatchField.LAST_NAME.ordinal()] = Comparators.name(a.last, b.last);
            v[MatchField.FIRST_NAME.ordinal()] = Comparators.name(a.first, b.first);
        }
        v[MatchField.MIDDLE_NAME.ordinal()] = Comparators.name(a.middle, b.middle);
        v[MatchField.BIRTH_DATE.ordinal()] = Comparators.birthDate(a.birthDigits, b.birthDigits);
        v[MatchField.SEX.ordinal()] = Comparators.exact(a.sex, b.sex);
        v[MatchField.PHONE.ordinal()] = Comparators.exact(a.phone, b.phone);
        v[MatchField.ADDRESS.ordinal()] = Comparators.address(a.addressTokens(), b.addressTokens());
        return v;
    }

    /**
     * The highest score {@code compare} could give this pair, from the fields that cost nothing to compare (IIN,
     * birth date, sex, phone, address) plus the best weight of each name field present. A pair whose bound is below
     * every threshold can be dismissed without comparing names.
     */
    public double upperBound(MatchProfile a, MatchProfile b) {
        double bound = weights.weight(MatchField.IIN, Comparators.iin(a.iin, b.iin))
                + weights.weight(MatchField.BIRTH_DATE, Comparators.birthDate(a.birthDigits, b.birthDigits))
                + weights.weight(MatchField.SEX, Comparators.exact(a.sex, b.sex))
                + weights.weight(MatchField.PHONE, Comparators.exact(a.phone, b.phone))
                + weights.weight(MatchField.ADDRESS, Comparators.address(a.addressTokens(), b.addressTokens()));
        // names count at their best whatever the orientation (compare may swap first and last name)
        bound += Math.max(0, weights.best(MatchField.LAST_NAME)) + Math.max(0, weights.best(MatchField.FIRST_NAME));
        if (a.middle != null && b.middle != null) {
            bound += Math.max(0, weights.best(MatchField.MIDDLE_NAME));
        }
        return bound;
    }

    /** The IIN's contribution to the pair's score. */
    public double iinWeight(MatchProfile a, MatchProfile b) {
        return weights.weight(MatchField.IIN, Comparators.iin(a.iin, b.iin));
    }

    public double score(int[] levels) {
        double s = 0;
        for (MatchField f : MatchField.values()) {
            s += weights.weight(f, levels[f.ordinal()]);
        }
        return s;
    }

    /** The score without the IIN's contribution: what the rest of the demographics say. */
    public double scoreWithoutIin(int[] levels) {
        return score(levels) - weights.weight(MatchField.IIN, levels[MatchField.IIN.ordinal()]);
    }

    public double score(MatchProfile a, MatchProfile b) {
        return score(compare(a, b));
    }
}
