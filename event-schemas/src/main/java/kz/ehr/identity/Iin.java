package kz.ehr.identity;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The individual identification number (ИИН, DOMAIN.md): digits 1–6 birth date {@code YYMMDD}, digit 7 century and
 * sex (1/2 = 1800s, 3/4 = 1900s, 5/6 = 2000s; odd male, even female), 8–11 serial, 12 the {@link CheckDigit}.
 * <p>
 * Valid means: 12 digits, an issuable and correct check digit, and a decoded birth date that is a real calendar date
 * no earlier than {@link #EARLIEST_BIRTH} and not after today. Plain Java, the one place every service asks.
 */
public final class Iin {
    /** No living person or record is older; an 1800s date before this is a typo or a forgery. */
    public static final LocalDate EARLIEST_BIRTH = LocalDate.of(1880, 1, 1);
    /** The FHIR identifier system of an IIN (API.md). */
    public static final String FHIR_SYSTEM = "http://ehr.kz/fhir/sid/iin";
    /** Where "today" is for a birth date (Kazakhstan has one zone, UTC+5, since 2024). */
    public static final ZoneId KAZAKHSTAN = ZoneId.of("Asia/Almaty");

    private Iin() {
    }

    /** Today in Kazakhstan by the system clock: the default bound for a birth date. */
    public static LocalDate today() {
        return LocalDate.now(Clock.system(KAZAKHSTAN));
    }

    /** The first problem of {@code iin} judged on {@code today}, or empty when it is a valid IIN. */
    public static Optional<IdentifierProblem> problem(String iin, LocalDate today) {
        if (!CheckDigit.isDigits(iin, 12)) {
            return Optional.of(new IdentifierProblem("IIN_FORMAT", "is not 12 digits"));
        }
        if (!CheckDigit.holds(iin)) {
            return Optional.of(new IdentifierProblem("IIN_CHECKSUM", CheckDigit.failure(iin, "IIN")));
        }
        if (centuryOf(iin.charAt(6)) < 0) {
            return Optional.of(new IdentifierProblem("IIN_DATE", "has no century/sex digit (digit 7 must be 1–6)"));
        }
        Optional<LocalDate> birth = birthDate(iin);
        if (birth.isEmpty()) {
            return Optional.of(new IdentifierProblem("IIN_DATE", "does not begin with a real birth date (YYMMDD)"));
        }
        if (birth.get().isBefore(EARLIEST_BIRTH)) {
            return Optional.of(new IdentifierProblem("IIN_DATE", "encodes a birth date before " + EARLIEST_BIRTH.getYear()));
        }
        if (birth.get().isAfter(today)) {
            return Optional.of(new IdentifierProblem("IIN_DATE", "encodes a birth date in the future"));
        }
        return Optional.empty();
    }

    /** {@link #problem(String, LocalDate)} judged on {@link #today()}. */
    public static Optional<IdentifierProblem> problem(String iin) {
        return problem(iin, today());
    }

    public static boolean isValid(String iin, LocalDate today) {
        return problem(iin, today).isEmpty();
    }

    public static boolean isValid(String iin) {
        return isValid(iin, today());
    }

    /** 12 ASCII digits. */
    public static boolean hasValidShape(String value) {
        return CheckDigit.isDigits(value, 12);
    }

    /**
     * The calendar date digits 1–7 encode, if they are one (strict: 30 February or century digit 0 give none). No range
     * check: an IIN of 1870 or of next year still decodes, and {@link #problem} calls it {@code IIN_DATE}.
     */
    public static Optional<LocalDate> birthDate(String iin) {
        if (!hasValidShape(iin)) {
            return Optional.empty();
        }
        int century = centuryOf(iin.charAt(6));
        if (century < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(century + Integer.parseInt(iin.substring(0, 2)),
                    Integer.parseInt(iin.substring(2, 4)), Integer.parseInt(iin.substring(4, 6))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** "M" for an odd century digit, "F" for an even one; empty when digit 7 is not 1–6. */
    public static Optional<String> sex(String iin) {
        if (!hasValidShape(iin) || centuryOf(iin.charAt(6)) < 0) {
            return Optional.empty();
        }
        return Optional.of((iin.charAt(6) - '0') % 2 == 1 ? "M" : "F");
    }

    /** The seventh digit an IIN of someone born on {@code birthDate} with {@code sex} ("M"/"F") carries. */
    public static int centuryDigit(LocalDate birthDate, String sex) {
        int year = birthDate.getYear();
        if (year < 1800 || year > 2099) {
            throw new IllegalArgumentException("an IIN encodes births in 1800–2099 only");
        }
        return (year < 1900 ? 1 : year < 2000 ? 3 : 5) + ("F".equals(sex) ? 1 : 0);
    }

    /**
     * The IIN of someone born on {@code birthDate} with {@code sex} ("M"/"F") and the first serial at or above
     * {@code serial} whose stem has a check digit; null when the serials run out (above 9999). For synthetic data.
     */
    public static String issue(LocalDate birthDate, String sex, int serial) {
        String prefix = String.format("%02d%02d%02d%d", birthDate.getYear() % 100, birthDate.getMonthValue(),
                birthDate.getDayOfMonth(), centuryDigit(birthDate, sex));
        for (int s = Math.max(0, serial); s < 10_000; s++) {
            String stem = prefix + String.format("%04d", s);
            int check = CheckDigit.of(stem);
            if (check >= 0) {
                return stem + check;
            }
        }
        return null;
    }

    /**
     * A valid IIN (judged on {@link #today()}) whose birth date and sex do not contradict the record's; a missing
     * record value contradicts nothing.
     */
    public static boolean agreesWith(String iin, LocalDate birthDate, String sex) {
        if (!isValid(iin)) {
            return false;
        }
        boolean dateOk = birthDate == null || birthDate(iin).map(birthDate::equals).orElse(false);
        boolean sexOk = sex == null || sex(iin).map(sex::equals).orElse(false);
        return dateOk && sexOk;
    }

    private static int centuryOf(char digit7) {
        return switch (digit7) {
            case '1', '2' -> 1800;
            case '3', '4' -> 1900;
            case '5', '6' -> 2000;
            default -> -1;
        };
    }
}
