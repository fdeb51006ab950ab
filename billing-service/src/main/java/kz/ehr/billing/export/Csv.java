package kz.ehr.billing.export;

import java.util.regex.Pattern;

/**
 * The one place billing turns a value into a CSV cell (RFC 4180). Exports go to call centres' and accountants'
 * spreadsheets, which run a cell starting with {@code = + - @}, tab or CR as a formula: a patient "named"
 * {@code =HYPERLINK("http://x","click")} must arrive as text. Following OWASP's CSV-injection guidance, free text
 * gets a leading single quote when it starts with one of those characters and is always quoted, inner quotes doubled.
 * A value the service formatted itself (an amount, a date) is written as is, so that −256.50 stays a number.
 */
public final class Csv {
    private static final Pattern GENERATED = Pattern.compile("-?[0-9]+(\\.[0-9]+)?|[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private Csv() {
    }

    /** A free-text cell (names, addresses, phones, keys and codes a provider sent): neutralised and quoted; null is empty. */
    public static String text(String s) {
        if (s == null) {
            return "";
        }
        boolean formula = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0;
        return '"' + (formula ? "'" : "") + s.replace("\"", "\"\"") + '"';
    }

    /**
     * A cell the service formatted itself: a decimal number (possibly negative) or an ISO date, written bare. Anything
     * else is not what the caller promised and goes out as {@link #text}.
     */
    public static String generated(String s) {
        if (s == null) {
            return "";
        }
        return GENERATED.matcher(s).matches() ? s : text(s);
    }

    /** The cells joined into one record, with the CRLF line break RFC 4180 gives. */
    public static String record(String... cells) {
        return String.join(",", cells) + "\r\n";
    }
}
