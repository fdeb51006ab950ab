package kz.ehr.mpi.matching;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** Field comparators: each returns the agreement level of {@link MatchField}, or -1 when a side is missing. */
public final class Comparators {
    public static final int MISSING = -1;

    private Comparators() {
    }

    public static int iin(String a, String b) {
        if (a == null || b == null) {
            return MISSING;
        }
        if (a.equals(b)) {
            return 0;
        }
        int diffs = 0;
        int first = -1;
        for (int i = 0; i < 12; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                if (first < 0) {
                    first = i;
                }
                diffs++;
            }
        }
        if (diffs == 1) {
            return 1;
        }
        if (diffs == 2 && first < 11 && a.charAt(first) == b.charAt(first + 1) && a.charAt(first + 1) == b.charAt(first)) {
            return 2;
        }
        return 3;
    }

    public static int name(String a, String b) {
        if (a == null || b == null) {
            return MISSING;
        }
        if (a.equals(b)) {
            return 0;
        }
        double jw = StringSimilarity.jaroWinkler(a, b);
        if (jw >= 0.94 || (Math.min(a.length(), b.length()) >= 6 && StringSimilarity.damerauLevenshtein(a, b) == 1)) {
            return 1;
        }
        return jw >= 0.85 ? 2 : 3;
    }

    /** Compares yyyyMMdd digit strings. */
    public static int birthDate(String a, String b) {
        if (a == null || b == null) {
            return MISSING;
        }
        if (a.equals(b)) {
            return 0;
        }
        if (a.substring(0, 4).equals(b.substring(0, 4)) && a.substring(4, 6).equals(b.substring(6, 8))
                && a.substring(6, 8).equals(b.substring(4, 6))) {
            return 1;
        }
        int diffs = 0;
        for (int i = 0; i < 8; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                diffs++;
            }
        }
        return diffs == 1 ? 2 : 3;
    }

    public static int exact(String a, String b) {
        if (a == null || b == null) {
            return MISSING;
        }
        return a.equals(b) ? 0 : 1;
    }

    public static int address(String[] a, String[] b) {
        if (a == null || b == null || a.length == 0 || b.length == 0) {
            return MISSING;
        }
        if (Arrays.equals(a, b)) {
            return 0;
        }
        Set<String> union = new HashSet<>(Arrays.asList(a));
        int common = 0;
        for (String t : b) {
            if (!union.add(t)) {
                common++;
            }
        }
        return (double) common / union.size() >= 0.6 ? 1 : 2;
    }
}
