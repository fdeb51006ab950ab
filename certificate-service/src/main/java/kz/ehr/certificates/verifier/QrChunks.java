package kz.ehr.certificates.verifier;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A QR text too long for one small code, split into parts printed side by side: {@code KZC1/<i>/<n>:<part>}, where the
 * parts are consecutive pieces of the Base45 text after {@code KZC1:}. A phone reads a code of version ≤ 22 from
 * paper (the SMART Health Cards limit); a long vaccination list does not fit one. Like the whole text, a part holds
 * only QR alphanumeric characters. Joining needs no trust: the signature is checked on the joined token.
 */
public final class QrChunks {
    private static final Pattern PART = Pattern.compile("KZC1/(\\d{1,2})/(\\d{1,2}):([0-9A-Z $%*+\\-./:]*)");
    public static final int MAX_PARTS = 99;

    private QrChunks() {
    }

    /** The parts of a {@code KZC1:} text with at most {@code maxChars} characters each, or the text itself when it fits. */
    public static List<String> split(String qrText, int maxChars) {
        if (qrText.length() <= maxChars) {
            return List.of(qrText);
        }
        String body = qrText.substring(QrPayload.PREFIX.length());
        for (int n = 2; n <= MAX_PARTS; n++) {
            int header = header(n, n).length();
            int per = (body.length() + n - 1) / n; // even parts: every code has the same version
            if (per + header <= maxChars) {
                List<String> parts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    parts.add(header(i + 1, n) + body.substring(Math.min(body.length(), i * per), Math.min(body.length(), (i + 1) * per)));
                }
                return List.copyOf(parts);
            }
        }
        throw new IllegalArgumentException("QR text of " + qrText.length() + " characters needs more than " + MAX_PARTS + " parts");
    }

    /** True when the text holds at least one part (and so must be joined before it is a token). */
    public static boolean isSplit(String text) {
        return text != null && PART.matcher(text).find();
    }

    /**
     * The {@code KZC1:} text from its parts, given in any order, one a line (Base45 has a space but no line break); a
     * text that holds no part is returned as it is. Missing, repeated or disagreeing parts are refused with a sentence
     * saying which.
     */
    public static String join(String text) {
        if (!isSplit(text)) {
            return text;
        }
        String[] parts = null;
        for (String line : text.split("[\\r\\n]+")) {
            String piece = line.stripLeading();
            if (piece.isEmpty()) {
                continue;
            }
            Matcher m = PART.matcher(piece);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a QR part: a line besides the KZC1/<i>/<n>: parts");
            }
            int i = Integer.parseInt(m.group(1));
            int n = Integer.parseInt(m.group(2));
            if (parts == null) {
                parts = new String[n];
            }
            if (n != parts.length || i < 1 || i > n) {
                throw new IllegalArgumentException("QR parts of different sets (part " + i + "/" + n + " beside a set of " + parts.length + ")");
            }
            if (parts[i - 1] != null && !parts[i - 1].equals(m.group(3))) {
                throw new IllegalArgumentException("two different QR parts " + i + "/" + n);
            }
            parts[i - 1] = m.group(3);
        }
        StringBuilder joined = new StringBuilder(QrPayload.PREFIX);
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null) {
                missing.add(i + 1);
            } else {
                joined.append(parts[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("QR parts " + missing + " of " + parts.length + " are missing");
        }
        return joined.toString();
    }

    private static String header(int i, int n) {
        return "KZC1/" + i + "/" + n + ":";
    }
}
