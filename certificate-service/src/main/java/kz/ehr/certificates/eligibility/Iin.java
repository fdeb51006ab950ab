package kz.ehr.certificates.eligibility;

import java.time.DateTimeException;
import java.time.LocalDate;

/** The 12-digit individual identification number: check digit and embedded birth date (DOMAIN.md). */
public final class Iin {
    private static final int[] FIRST = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] SECOND = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

    private Iin() {
    }

    /** Null when valid, else the reason code: IIN_FORMAT, IIN_CHECKSUM or IIN_DATE. */
    public static String problem(String iin) {
        if (iin == null || !iin.matches("\\d{12}")) {
            return "IIN_FORMAT";
        }
        int[] d = iin.chars().map(c -> c - '0').toArray();
        int r = weighted(d, FIRST);
        if (r == 10) {
            r = weighted(d, SECOND);
        }
        if (r == 10 || r != d[11]) {
            return "IIN_CHECKSUM";
        }
        int century = switch (d[6]) {
            case 1, 2 -> 1800;
            case 3, 4 -> 1900;
            case 5, 6 -> 2000;
            default -> -1;
        };
        if (century < 0) {
            return "IIN_DATE";
        }
        try {
            LocalDate.of(century + d[0] * 10 + d[1], d[2] * 10 + d[3], d[4] * 10 + d[5]);
        } catch (DateTimeException e) {
            return "IIN_DATE";
        }
        return null;
    }

    private static int weighted(int[] d, int[] w) {
        int s = 0;
        for (int i = 0; i < 11; i++) {
            s += d[i] * w[i];
        }
        return s % 11;
    }
}
