package kz.ehr.mpi.rest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import kz.ehr.mpi.MpiProblem;

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
