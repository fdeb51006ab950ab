package kz.ehr.ingestion.validation;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The Kazakh individual identification number (and, with the same check digit, the BIN).
 * Plain domain code: no framework types.
 */
public final class Iin {
    private static final int[] FIRST = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] SECOND = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

    private Iin() {
    }

    /** The check digit for an 11-digit stem, or -1 when the stem can never be issued (10 on both passes). */
    public static int checkDigit(String stem) {
        int r = weightedMod11(stem, FIRST);
        if (r == 10) {
            r = weightedMod11(stem, SECOND);
        }
        return r == 10 ? -1 : r;
    }

    private static int weightedMod11(String stem, int[] weights) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum += (stem.charAt(i) - '0') * weights[i];
        }
        return sum % 11;
    }

    public static boolean hasValidShape(String value) {
        return value != null && value.length() == 12 && value.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** 12 digits with a correct check digit (the rule shared by IIN and BIN). */
    public static boolean hasValidCheckDigit(String value) {
        if (!hasValidShape(value)) {
            return false;
        }
        int expected = checkDigit(value.substring(0, 11));
        return expected >= 0 && expected == value.charAt(11) - '0';
    }

    /** Birth date encoded in an IIN (digits 1–6 with the century from digit 7), if it is a real date. */
    public static Optional<LocalDate> birthDate(String iin) {
        if (!hasValidShape(iin)) {
            return Optional.empty();
        }
        int centuryDigit = iin.charAt(6) - '0';
        int century;
        switch (centuryDigit) {
            case 1, 2 -> century = 1800;
            case 3, 4 -> century = 1900;
            case 5, 6 -> century = 2000;
            default -> {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(LocalDate.of(century + Integer.parseInt(iin.substring(0, 2)),
                    Integer.parseInt(iin.substring(2, 4)), Integer.parseInt(iin.substring(4, 6))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** "M" or "F" from digit 7, if it is an issued value. */
    public static Optional<String> sex(String iin) {
        if (!hasValidShape(iin)) {
            return Optional.empty();
        }
        int d = iin.charAt(6) - '0';
        if (d < 1 || d > 6) {
            return Optional.empty();
        }
        return Optional.of(d % 2 == 1 ? "M" : "F");
    }
}
