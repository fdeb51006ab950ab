package kz.ehr.mpi.matching;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/** What an IIN says about its holder: validity (check digit + real date), birth date and sex. */
public final class Iin {
    private Iin() {
    }

    /** 12 digits, an issuable check digit and a real birth date with a known century. */
    public static boolean isValid(String iin) {
        if (iin == null || iin.length() != 12) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            if (iin.charAt(i) < '0' || iin.charAt(i) > '9') {
                return false;
            }
        }
        int r = mod11(iin, 1);
        if (r == 10) {
            r = mod11(iin, 3);
        }
        return r != 10 && r == iin.charAt(11) - '0' && birthDate(iin).isPresent();
    }

    private static int mod11(String iin, int firstWeight) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            int w = (firstWeight - 1 + i) % 11 + 1;
            sum += (iin.charAt(i) - '0') * w;
        }
        return sum % 11;
    }

    public static Optional<LocalDate> birthDate(String iin) {
        if (iin == null || iin.length() < 7) {
            return Optional.empty();
        }
        int century = switch (iin.charAt(6)) {
            case '1', '2' -> 1800;
            case '3', '4' -> 1900;
            case '5', '6' -> 2000;
            default -> -1;
        };
        if (century < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(century + Integer.parseInt(iin.substring(0, 2)),
                    Integer.parseInt(iin.substring(2, 4)), Integer.parseInt(iin.substring(4, 6))));
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** "M" for odd century digits, "F" for even ones. */
    public static Optional<String> sex(String iin) {
        if (iin == null || iin.length() < 7 || iin.charAt(6) < '1' || iin.charAt(6) > '6') {
            return Optional.empty();
        }
        return Optional.of((iin.charAt(6) - '0') % 2 == 1 ? "M" : "F");
    }

    /** A valid IIN whose encoded birth date and sex do not contradict the record (missing values do not contradict). */
    public static boolean agreesWith(String iin, LocalDate birthDate, String sex) {
        if (!isValid(iin)) {
            return false;
        }
        boolean dateOk = birthDate == null || birthDate(iin).map(birthDate::equals).orElse(false);
        boolean sexOk = sex == null || sex(iin).map(sex::equals).orElse(false);
        return dateOk && sexOk;
    }
}
