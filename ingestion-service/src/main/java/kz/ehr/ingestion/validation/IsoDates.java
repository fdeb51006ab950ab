package kz.ehr.ingestion.validation;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 dates and instants with offset. The common shapes ({@code 2025-03-01},
 * {@code 2025-03-01T10:15:00+05:00}, {@code …Z}, with or without fraction) are parsed by hand because
 * java.time's general parser dominated the per-record cost; anything else falls back to java.time, so the
 * accepted language is exactly java.time's.
 */
public final class IsoDates {
    private IsoDates() {
    }

    /** @throws DateTimeParseException when not a valid YYYY-MM-DD date */
    public static LocalDate date(String s) {
        if (s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
            int y = digits(s, 0, 4);
            int m = digits(s, 5, 7);
            int d = digits(s, 8, 10);
            if (y >= 0 && m >= 0 && d >= 0) {
                try {
                    return LocalDate.of(y, m, d);
                } catch (DateTimeException e) {
                    throw new DateTimeParseException(e.getMessage(), s, 0);
                }
            }
        }
        return LocalDate.parse(s);
    }

    /** @throws DateTimeParseException when not an ISO-8601 date-time with an offset */
    public static Instant instant(String s) {
        int n = s.length();
        if (n >= 20 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':' && s.charAt(16) == ':') {
            int y = digits(s, 0, 4);
            int mo = digits(s, 5, 7);
            int d = digits(s, 8, 10);
            int h = digits(s, 11, 13);
            int mi = digits(s, 14, 16);
            int se = digits(s, 17, 19);
            int i = 19;
            int nanos = 0;
            if (i < n && s.charAt(i) == '.') {
                int start = ++i;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    i++;
                }
                int len = i - start;
                if (len >= 1 && len <= 9) {
                    nanos = digits(s, start, i);
                    for (int k = len; k < 9; k++) {
                        nanos *= 10;
                    }
                } else {
                    nanos = -1;
                }
            }
            int offsetSeconds = Integer.MIN_VALUE;
            if (i == n - 1 && s.charAt(i) == 'Z') {
                offsetSeconds = 0;
            } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
                int oh = digits(s, i + 1, i + 3);
                int om = digits(s, i + 4, i + 6);
                if (oh >= 0 && om >= 0) {
                    offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
                }
            }
            if (y >= 0 && mo >= 0 && d >= 0 && h >= 0 && mi >= 0 && se >= 0 && nanos >= 0 && offsetSeconds != Integer.MIN_VALUE) {
                try {
                    return LocalDateTime.of(y, mo, d, h, mi, se, nanos).toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
                } catch (DateTimeException e) {
                    throw new DateTimeParseException(e.getMessage(), s, 0);
                }
            }
        }
        return OffsetDateTime.parse(s).toInstant();
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
