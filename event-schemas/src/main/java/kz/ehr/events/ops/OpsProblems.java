package kz.ehr.events.ops;

import jakarta.ws.rs.core.Response;

import kz.ehr.events.problem.ProblemDetails;

/**
 * The shared ops endpoints' answers: the one {@link ProblemDetails} body with type {@code about:blank} (they are no
 * one service's problems), titled by the status.
 */
public final class OpsProblems {
    private OpsProblems() {
    }

    public static Response problem(int status, String code, String field, String detail) {
        return ProblemDetails.response("about:blank", Response.Status.fromStatusCode(status).getReasonPhrase(), status, code,
                field, detail).build();
    }

    /** {@code limit} absent → {@code fallback}; outside 0..max → null (the caller answers INVALID_LIMIT). */
    public static Integer limit(Integer limit, int fallback, int max) {
        int n = limit == null ? fallback : limit;
        return n < 0 || n > max ? null : n;
    }
}
