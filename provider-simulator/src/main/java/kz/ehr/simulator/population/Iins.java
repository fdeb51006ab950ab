package kz.ehr.simulator.population;

import java.time.LocalDate;

/** Issues and checks IINs and BINs with the check-digit rule of DOMAIN.md (weights 1..11, then 3..11,1,2). */
public final class Iins {
    private static final int[] FIRST = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] SECOND = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

    private Iins() {
    }

    /** The 7th IIN digit: century and sex (3/4 = 1900s, 5/6 = 2000s, 1/2 = 1800s; odd = male). */
    public static int centuryDigit(LocalDate birthDate, Sex sex) {
        int base = birthDate.getYear() < 1900 ? 1 : birthDate.getYear() < 2000 ? 3 : 5;
        return base + (sex == Sex.F ? 1 : 0);
    }

    /**
     * A valid IIN for a birth date and sex with the first serial number at or above {@code serial} whose
     * check digit exists; returns null when serials run out (above 9999).
     */
    public static String issue(LocalDate birthDate, Sex sex, int serial) {
        String date = String.format("%02d%02d%02d", birthDate.getYear() % 100, birthDate.getMonthValue(), birthDate.getDayOfMonth());
        String prefix = date + centuryDigit(birthDate, sex);
        for (int s = serial; s < 10_000; s++) {
            String stem = prefix + String.format("%04d", s);
            int check = checkDigit(stem);
            if (check >= 0) {
                return stem + check;
            }
        }
        return null;
    }

    /**
     * A valid BIN: YYMM of registration, entity kind (4 = resident legal entity), attribute (0 = head office),
     * a five-digit serial and the check digit.
     */
    public static String issueBin(int registrationYear, int registrationMonth, int serial) {
        for (int s = serial; ; s++) {
            String stem = String.format("%02d%02d40%05d", registrationYear % 100, registrationMonth, s % 100_000);
            int check = checkDigit(stem);
            if (check >= 0) {
                return stem + check;
            }
        }
    }

    /** The check digit of an 11-digit stem, or -1 when the number can never be issued. */
    public static int checkDigit(String stem) {
        int r = mod11(stem, FIRST);
        if (r == 10) {
            r = mod11(stem, SECOND);
        }
        return r == 10 ? -1 : r;
    }

    /** True when the 12 digits carry a correct check digit (the date is not checked here). */
    public static boolean hasValidCheckDigit(String number) {
        if (number == null || number.length() != 12 || !number.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int check = checkDigit(number.substring(0, 11));
        return check >= 0 && check == number.charAt(11) - '0';
    }

    private static int mod11(String stem, int[] w) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum += (stem.charAt(i) - '0') * w[i];
        }
        return sum % 11;
    }
}
