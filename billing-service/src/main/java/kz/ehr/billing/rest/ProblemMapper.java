package kz.ehr.billing.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import kz.ehr.billing.BillingProblem;
import kz.ehr.events.problem.ProblemDetails;

/** Every {@link BillingProblem} as the shared {@link ProblemDetails}, typed under billing's problem URI. */
@Provider
public class ProblemMapper implements ExceptionMapper<BillingProblem> {
    private static final String TYPE_PREFIX = "https://ehr.kz/problems/billing/";

    @Override
    public Response toResponse(BillingProblem p) {
        return ProblemDetails.response(ProblemDetails.type(TYPE_PREFIX, p.code), p.title, p.status, p.code, p.field,
                p.getMessage()).build();
    }
}
