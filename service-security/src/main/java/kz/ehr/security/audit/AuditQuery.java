package kz.ehr.security.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What an auditor asks every service's {@code GET /api/v1/audit}: who, which action, about which subject, in which
 * time window ({@code from} inclusive, {@code to} exclusive). Newest first; {@code before} is the cursor (the
 * previous page's {@code nextCursor}). Null means any.
 */
public record AuditQuery(String who, String action, String subject, Instant from, Instant to, Long before, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** A query parameter the auditor got wrong. */
    public static final class InvalidParameter extends IllegalArgumentException {
        private final String field;

        InvalidParameter(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** From raw query parameters; blank means absent. */
    public static AuditQuery parse(String who, String action, String subject, String from, String to, Long before,
                                   Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidParameter("limit", "limit must be between 1 and " + MAX_LIMIT + ", got " + size);
        }
        if (before != null && before < 1) {
            throw new InvalidParameter("before", "before is the nextCursor of a previous page, a positive number");
        }
        return new AuditQuery(blankToNull(who), blankToNull(action), blankToNull(subject), instant("from", from),
                instant("to", to), before, size);
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidParameter(field, field + " must be an ISO-8601 instant such as 2026-11-28T08:00:00Z, got \""
                    + value.strip() + "\"");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
