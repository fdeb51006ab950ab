package kz.ehr.identity;

import java.util.Optional;

/**
 * The business identification number of an organisation (БИН): digits 1–2 year and 3–4 month of registration,
 * 5 the kind of entity, 6 its attribute, 7–11 a serial, 12 the {@link CheckDigit} (the IIN's rule).
 * <p>
 * Kinds (digit 5): 4 resident legal entity, 5 non-resident legal entity, 6 individual entrepreneur in a joint venture.
 * Attributes (digit 6): 0 head office, 1 branch, 2 representative office, 3 peasant (farm) enterprise in a joint
 * venture. The year has no century digit, so it is not range-checked; the month must be 01–12.
 */
public final class Bin {
    /** The FHIR identifier system of a BIN (API.md). */
    public static final String FHIR_SYSTEM = "http://ehr.kz/fhir/sid/bin";

    private Bin() {
    }

    /** The first problem of {@code bin}, or empty when it is a valid BIN. */
    public static Optional<IdentifierProblem> problem(String bin) {
        if (!CheckDigit.isDigits(bin, 12)) {
            return Optional.of(new IdentifierProblem("BIN_FORMAT", "is not 12 digits"));
        }
        if (!CheckDigit.holds(bin)) {
            return Optional.of(new IdentifierProblem("BIN_CHECKSUM", CheckDigit.failure(bin, "BIN")));
        }
        int month = Integer.parseInt(bin.substring(2, 4));
        if (month < 1 || month > 12) {
            return Optional.of(new IdentifierProblem("BIN_DATE", "has no registration month (digits 3–4 must be 01–12)"));
        }
        if (!isEntityKind(bin.charAt(4))) {
            return Optional.of(new IdentifierProblem("BIN_TYPE",
                    "has no entity kind (digit 5 must be 4 resident, 5 non-resident or 6 joint-venture entrepreneur)"));
        }
        if (!isAttribute(bin.charAt(5))) {
            return Optional.of(new IdentifierProblem("BIN_ATTRIBUTE",
                    "has no attribute (digit 6 must be 0 head office, 1 branch, 2 representative office or 3 farm)"));
        }
        return Optional.empty();
    }

    public static boolean isValid(String bin) {
        return problem(bin).isEmpty();
    }

    /**
     * A valid BIN of a resident legal entity's head office registered in {@code year}/{@code month}: the first serial at
     * or above {@code serial} (mod 100,000) whose stem has a check digit.
     */
    public static String issue(int year, int month, int serial) {
        if (month < 1 || month > 12) {
            throw new IllegalArgumentException("month must be 1–12");
        }
        for (int s = serial; ; s++) {
            String stem = String.format("%02d%02d40%05d", year % 100, month, Math.floorMod(s, 100_000));
            int check = CheckDigit.of(stem);
            if (check >= 0) {
                return stem + check;
            }
        }
    }

    private static boolean isEntityKind(char c) {
        return c >= '4' && c <= '6';
    }

    private static boolean isAttribute(char c) {
        return c >= '0' && c <= '3';
    }
}
