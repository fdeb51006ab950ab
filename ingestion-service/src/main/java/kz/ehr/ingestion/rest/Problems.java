package kz.ehr.ingestion.rest;

import jakarta.ws.rs.core.Response;

import kz.ehr.events.problem.ProblemDetails;
import kz.ehr.ingestion.config.IngestionConfig;

/** Ingestion's problem answers (the shared {@link ProblemDetails}): type {@code urn:ehr:problem:<code>}, titled by the code. */
final class Problems {
    private static final String TYPE_PREFIX = "urn:ehr:problem:";

    private Problems() {
    }

    static Response.ResponseBuilder response(int status, String code, String field, String detail) {
        return ProblemDetails.response(ProblemDetails.type(TYPE_PREFIX, code), code, status, code, field, detail);
    }

    static Response unavailable(IngestionConfig config, String code, String detail) {
        return response(503, code, null, detail).header("Retry-After", config.retryAfterSeconds()).build();
    }

    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }
}
