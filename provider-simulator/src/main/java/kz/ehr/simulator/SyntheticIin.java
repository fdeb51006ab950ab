package kz.ehr.simulator;

import java.time.LocalDate;

/** Issues valid synthetic IINs (and BINs) for a birth date and sex: the same rule as DOMAIN.md. */
final class SyntheticIin {
    private static final int[] FIRST = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] SECOND = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

    private SyntheticIin() {
    }

    /** A valid IIN, trying serial numbers from {@code serial} upward until the check digit exists. */
    static String issue(LocalDate birthDate, char sex, int serial) {
        int centuryBase = birthDate.getYear() < 1900 ? 1 : birthDate.getYear() < 2000 ? 3 : 5;
        int centuryDigit = centuryBase + (sex == 'F' ? 1 : 0);
        String date = String.format("%02d%02d%02d", birthDate.getYear() % 100, birthDate.getMonthValue(), birthDate.getDayOfMonth());
        for (int s = serial; ; s++) {
            String stem = date + centuryDigit + String.format("%04d", s % 10_000);
            int check = checkDigit(stem);
            if (check >= 0) {
                return stem + check;
            }
        }
    }

    static int checkDigit(String stem) {
        int r = mod11(stem, FIRST);
        if (r == 10) {
            r = mod11(stem, SECOND);
        }
        return r == 10 ? -1 : r;
    }

    private static int mod11(String stem, int[] w) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum += (stem.charAt(i) - '0') * w[i];
        }
        return sum % 11;
    }
}
