package kz.ehr.events.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

/** RFC 9457 answers of the shared ops endpoints, with the stable {@code code} (and {@code field}) every API gives. */
public final class OpsProblems {
    private OpsProblems() {
    }

    public static Response problem(int status, String code, String field, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", Response.Status.fromStatusCode(status).getReasonPhrase());
        body.put("status", status);
        body.put("code", code);
        if (field != null) {
            body.put("field", field);
        }
        body.put("detail", detail);
        return Response.status(status).type("application/problem+json").entity(body).build();
    }

    /** {@code limit} absent → {@code fallback}; outside 0..max → null (the caller answers INVALID_LIMIT). */
    public static Integer limit(Integer limit, int fallback, int max) {
        int n = limit == null ? fallback : limit;
        return n < 0 || n > max ? null : n;
    }
}
