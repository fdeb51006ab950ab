package kz.ehr.ingestion.validation;

import java.util.Locale;
import java.util.regex.Pattern;

/** ICD-10 (МКБ-10) code shape: a letter, two digits, optionally a dot and 1–4 sub-classification characters. */
public final class Icd10 {
    private static final Pattern SHAPE = Pattern.compile("[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?");

    private Icd10() {
    }

    /** Upper-cased and trimmed; vendors send "i10" and " A15.0". */
    public static String normalise(String code) {
        return code == null ? null : code.strip().toUpperCase(Locale.ROOT);
    }

    public static boolean hasValidShape(String normalisedCode) {
        return normalisedCode != null && SHAPE.matcher(normalisedCode).matches();
    }
}
