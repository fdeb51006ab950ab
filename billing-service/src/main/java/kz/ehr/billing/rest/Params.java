package kz.ehr.billing.rest;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import io.quarkus.security.identity.SecurityIdentity;
import kz.ehr.billing.BillingProblem;
import kz.ehr.identity.Bin;
import kz.ehr.identity.IdentifierProblem;
import kz.ehr.security.Caller;

/** Parsing of path and query parameters into domain values, with problems that name the field at fault. */
final class Params {
    private Params() {
    }

    static YearMonth month(String s) {
        try {
            return YearMonth.parse(s);
        } catch (DateTimeParseException | NullPointerException e) {
            throw BillingProblem.badRequest("INVALID_MONTH", "month", "month \"" + s + "\" is not yyyy-MM, e.g. 2025-11");
        }
    }

    static LocalDate date(String field, String s) {
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw BillingProblem.badRequest("INVALID_DATE", field, field + " \"" + s + "\" is not yyyy-MM-dd");
        }
    }

    /** Reads of a patient's personal data say why (header X-Purpose); the purpose goes into the audit row. */
    static Caller caller(SecurityIdentity identity, String purpose) {
        return Caller.withPurpose(identity, purpose).orElseThrow(() -> BillingProblem.badRequest("PURPOSE_REQUIRED",
                Caller.PURPOSE_HEADER, "header X-Purpose is required: reads of personal data are audited with their purpose"));
    }

    static int limit(Integer limit) {
        if (limit == null) {
            return 100;
        }
        if (limit < 1 || limit > 10_000) {
            throw BillingProblem.badRequest("INVALID_LIMIT", "limit", "limit must be between 1 and 10000, got " + limit);
        }
        return limit;
    }

    /**
     * A polyclinic's BIN by the shared rule (format, check digit, registration month, kind and attribute digits).
     * Checked before it is used at all, so that a download's file name (Content-Disposition) never carries what a
     * caller typed; the answer names the rule's code but never echoes the value.
     */
    static String bin(String field, String s) {
        if (s == null || s.isBlank()) {
            throw BillingProblem.badRequest("MISSING_POLYCLINIC", field, field + " (BIN) is required");
        }
        Optional<IdentifierProblem> problem = Bin.problem(s);
        if (problem.isPresent()) {
            throw BillingProblem.badRequest("INVALID_BIN", field,
                    field + " is not a BIN: it " + problem.get().reason() + " (" + problem.get().code() + ")");
        }
        return s;
    }

    static boolean wantsCsv(String format, String accept) {
        return "csv".equalsIgnoreCase(format) || (accept != null && accept.contains("text/csv"));
    }
}
