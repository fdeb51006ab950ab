package kz.ehr.mpi.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import kz.ehr.mpi.MpiProblem;

/** RFC 9457 problem details with a stable {@code code} and, where one is at fault, the {@code field}. */
@Provider
public class Problems implements ExceptionMapper<MpiProblem> {
    static final String MEDIA_TYPE = "application/problem+json";

    @Override
    public Response toResponse(MpiProblem p) {
        return response(p.status, p.code, p.field, p.getMessage()).build();
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
}
