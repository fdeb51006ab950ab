package kz.ehr.billing.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import kz.ehr.billing.BillingProblem;

/** RFC 9457 problem details for every {@link BillingProblem}. */
@Provider
public class ProblemMapper implements ExceptionMapper<BillingProblem> {
    @Override
    public Response toResponse(BillingProblem p) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://ehr.kz/problems/billing/" + p.code.toLowerCase().replace('_', '-'));
        body.put("title", p.title);
        body.put("status", p.status);
        body.put("detail", p.getMessage());
        body.put("code", p.code);
        if (p.field != null) {
            body.put("field", p.field);
        }
        return Response.status(p.status).type("application/problem+json").entity(body).build();
    }
}
