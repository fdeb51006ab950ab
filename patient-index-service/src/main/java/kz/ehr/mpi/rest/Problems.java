package kz.ehr.mpi.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import kz.ehr.events.problem.ProblemDetails;
import kz.ehr.mpi.MpiProblem;

/** Every {@link MpiProblem} as the shared {@link ProblemDetails}: type {@code urn:ehr:problem:<code>}, titled by the code. */
@Provider
public class Problems implements ExceptionMapper<MpiProblem> {
    private static final String TYPE_PREFIX = "urn:ehr:problem:";

    @Override
    public Response toResponse(MpiProblem p) {
        return response(p.status, p.code, p.field, p.getMessage()).build();
    }

    static Response.ResponseBuilder response(int status, String code, String field, String detail) {
        return ProblemDetails.response(ProblemDetails.type(TYPE_PREFIX, code), code, status, code, field, detail);
    }
}
