package kz.ehr.ingestion.validation;

/** The business identification number of an organisation (БИН): 12 digits with the IIN's check-digit rule. */
public final class Bin {
    private Bin() {
    }

    public static boolean isValid(String bin) {
        return Iin.hasValidCheckDigit(bin);
    }
}
