package kz.ehr.identity;

/**
 * The check digit shared by IIN and BIN (DOMAIN.md): {@code Σ d[i]·w[i] mod 11} over digits 1–11 with weights
 * 1..11; a remainder of 10 is recomputed with weights 3..11,1,2; a second 10 means the stem is never issued.
 */
public final class CheckDigit {
    private static final int[] FIRST = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] SECOND = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

    private CheckDigit() {
    }

    /** The check digit of an 11-digit stem, or -1 when no number with this stem is ever issued. */
    public static int of(String stem) {
        if (!isDigits(stem, 11)) {
            throw new IllegalArgumentException("a stem is 11 digits");
        }
        int r = weightedMod11(stem, FIRST);
        if (r == 10) {
            r = weightedMod11(stem, SECOND);
        }
        return r == 10 ? -1 : r;
    }

    /** 12 digits whose last is the check digit of the first 11. */
    public static boolean holds(String number) {
        if (!isDigits(number, 12)) {
            return false;
        }
        int expected = of(number.substring(0, 11));
        return expected >= 0 && expected == number.charAt(11) - '0';
    }

    /** Exactly {@code length} ASCII digits (not any Unicode digit: {@code Character.isDigit} accepts Arabic-Indic ones). */
    public static boolean isDigits(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int weightedMod11(String stem, int[] weights) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum += (stem.charAt(i) - '0') * weights[i];
        }
        return sum % 11;
    }

    /** The reason a 12-digit number fails its check digit, for {@link IdentifierProblem}. */
    static String failure(String number, String kind) {
        int expected = of(number.substring(0, 11));
        return expected < 0
                ? "can never be issued (its check digit computes to 10 with both weight sets)"
                : "fails the " + kind + " check digit (expected " + expected + ")";
    }
}
