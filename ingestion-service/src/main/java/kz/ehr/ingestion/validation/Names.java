package kz.ehr.ingestion.validation;

import java.text.Normalizer;
import java.util.Locale;

/** Person names: the original in NFC, and a trimmed, case-folded form for matching. */
public final class Names {
    private Names() {
    }

    public static String nfc(String s) {
        if (s == null) {
            return null;
        }
        String stripped = s.strip();
        return Normalizer.isNormalized(stripped, Normalizer.Form.NFC) ? stripped : Normalizer.normalize(stripped, Normalizer.Form.NFC);
    }

    /** Upper- then lower-casing approximates Unicode full case folding (e.g. ß → ss); inner whitespace collapses. */
    public static String fold(String nfc) {
        if (nfc == null) {
            return null;
        }
        String folded = nfc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(folded.length());
        boolean space = false;
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            if (Character.isWhitespace(c)) {
                space = true;
                continue;
            }
            if (space && !out.isEmpty()) {
                out.append(' ');
            }
            space = false;
            out.append(c);
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }
}
