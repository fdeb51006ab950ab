package kz.ehr.mpi;

/** A refusal with a stable code, rendered as RFC 9457 problem details by the REST layer. */
public class MpiProblem extends RuntimeException {
    public final int status;
    public final String code;
    public final String field;

    public MpiProblem(int status, String code, String field, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static MpiProblem notFound(String code, String detail) {
        return new MpiProblem(404, code, null, detail);
    }

    public static MpiProblem conflict(String code, String detail) {
        return new MpiProblem(409, code, null, detail);
    }

    public static MpiProblem badRequest(String code, String field, String detail) {
        return new MpiProblem(400, code, field, detail);
    }
}
