package kz.ehr.events.problem;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.core.Response;

/**
 * RFC 9457 problem details as every service answers a refusal, built in one place: {@code type}, {@code title},
 * {@code status}, the stable {@code code}, the {@code field} at fault (left out when none is) and a {@code detail} a
 * caller's engineer can act on. Each service keeps only its own codes, titles and type prefix.
 */
public final class ProblemDetails {
    public static final String MEDIA_TYPE = "application/problem+json";

    private ProblemDetails() {
    }

    /** The problem type: the service's prefix and the code in lower kebab case ({@code INVALID_IIN} → {@code invalid-iin}). */
    public static String type(String prefix, String code) {
        return prefix + code.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The answer's members in their order; {@code field} only when one is at fault. */
    public static Map<String, Object> body(String type, String title, int status, String code, String field, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("code", code);
        if (field != null) {
            body.put("field", field);
        }
        body.put("detail", detail);
        return body;
    }

    /** The answer, ready for headers a service adds (e.g. Retry-After). */
    public static Response.ResponseBuilder response(String type, String title, int status, String code, String field,
                                                    String detail) {
        return Response.status(status).type(MEDIA_TYPE).entity(body(type, title, status, code, field, detail));
    }
}
