package kz.ehr.billing;

/** A failure the caller can act on, answered as an RFC 9457 problem with a stable code. */
public class BillingProblem extends RuntimeException {
    public final int status;
    public final String code;
    public final String title;
    public final String field;

    public BillingProblem(int status, String code, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title;
        this.field = field;
    }

    public static BillingProblem badRequest(String code, String field, String detail) {
        return new BillingProblem(400, code, "Invalid request", detail, field);
    }

    public static BillingProblem notFound(String code, String detail) {
        return new BillingProblem(404, code, "Not found", detail, null);
    }

    public static BillingProblem conflict(String code, String detail) {
        return new BillingProblem(409, code, "Conflict", detail, null);
    }
}
