package kz.ehr.ingestion.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import kz.ehr.ingestion.config.IngestionConfig;

/** RFC 9457 problem details with a stable {@code code} and, where one is at fault, the {@code field}. */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    static Response.ResponseBuilder response(int status, String code, String field, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:ehr:problem:" + code.toLowerCase().replace('_', '-'));
        body.put("title", code);
        body.put("status", status);
        body.put("code", code);
        if (field != null) {
            body.put("field", field);
        }
        body.put("detail", detail);
        return Response.status(status).type(MEDIA_TYPE).entity(body);
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
