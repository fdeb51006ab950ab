package kz.ehr.security;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one agreed encoding of the {@value Caller#PURPOSE_HEADER} header. An HTTP header carries ASCII only (Java's
 * HTTP client refuses anything else) and people state their purpose in Kazakh or Russian, so a purpose travels as
 * percent-encoded UTF-8, as an RFC 8187 ext-value's value-chars: every byte outside printable ASCII, and {@code %}
 * itself, as {@code %XX}; the RFC's {@code UTF-8''} prefix may stand in front. Every service decodes it here before
 * the audit row is written, so auditors read {@code справка}, not {@code %D1%81%D0%BF...}.
 */
public final class Purpose {
    /** The longest purpose an audit row keeps. */
    public static final int MAX_LENGTH = 200;
    private static final String RFC_8187_PREFIX = "UTF-8''";

    private Purpose() {
    }

    /** What a caller sends: printable ASCII stays, everything else (and {@code %}) goes as {@code %XX} of its UTF-8. */
    public static String encode(String text) {
        StringBuilder s = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '%') {
                s.append((char) c);
            } else {
                s.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return s.toString();
    }

    /**
     * The text a header carries: percent-encoded UTF-8 decoded. A value that is not such an encoding (a {@code %} not
     * followed by two hex digits, or bytes that are not UTF-8, as in a typed {@code 100% sure}) is kept as it came.
     */
    public static String decode(String header) {
        if (header == null) {
            return null;
        }
        String value = header.regionMatches(true, 0, RFC_8187_PREFIX, 0, RFC_8187_PREFIX.length())
                ? header.substring(RFC_8187_PREFIX.length()) : header;
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteBuffer bytes = ByteBuffer.allocate(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(value.charAt(i + 2), 16);
                if (lo < 0) {
                    return value;
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else if (c < 0x80) {
                bytes.put((byte) c);
            } else {
                return value;
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException notUtf8) {
            return value;
        }
    }

    /** The purpose an audit row records: decoded, stripped and bounded; null when none was given. */
    public static String of(String header) {
        String text = decode(header);
        if (text == null || text.isBlank()) {
            return null;
        }
        String p = text.strip();
        return p.length() <= MAX_LENGTH ? p : p.substring(0, MAX_LENGTH);
    }
}
