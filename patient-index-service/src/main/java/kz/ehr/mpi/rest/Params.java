package kz.ehr.mpi.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import io.quarkus.security.identity.SecurityIdentity;
import kz.ehr.mpi.MpiProblem;
import kz.ehr.security.Caller;

/** Parses path and query parameters into domain values or a 400 naming the parameter. */
final class Params {
    private Params() {
    }

    static UUID uuid(String value, String field) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw MpiProblem.badRequest("INVALID_ID", field, field + " \"" + value + "\" is not a UUID");
        }
    }

    static LocalDate date(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw MpiProblem.badRequest("INVALID_DATE", field, field + " \"" + value + "\" is not a YYYY-MM-DD date");
        }
    }

    /** Who reads a patient's personal data and why (header X-Purpose): required, it goes into the audit row. */
    static Caller caller(SecurityIdentity identity, String purpose) {
        return Caller.withPurpose(identity, purpose).orElseThrow(() -> MpiProblem.badRequest("PURPOSE_REQUIRED",
                Caller.PURPOSE_HEADER, "reading a patient's data needs header X-Purpose saying why (e.g. TREATMENT, REVIEW)"));
    }

    /** Why a person took a manual decision: required, it goes into the link history and the audit row. */
    static String reason(String value) {
        if (value == null || value.isBlank()) {
            throw MpiProblem.badRequest("REASON_REQUIRED", "reason", "a manual decision needs a reason in the body");
        }
        return value.strip();
    }

    static Instant instant(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw MpiProblem.badRequest("INVALID_TIME", field, field + " \"" + value + "\" is not an ISO-8601 instant (2026-11-28T08:00:00Z)");
        }
    }

    static int limit(Integer value, int fallback, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > max) {
            throw MpiProblem.badRequest("INVALID_LIMIT", "limit", "limit must be between 1 and " + max);
        }
        return value;
    }
}
