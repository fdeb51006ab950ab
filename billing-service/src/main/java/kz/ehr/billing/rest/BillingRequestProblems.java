package kz.ehr.billing.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import kz.ehr.billing.BillingProblem;
import kz.ehr.events.problem.JsonBodies.Problems;
import kz.ehr.events.problem.NumberParams;

/**
 * What billing answers a request it cannot read, as its 400 problem: a query parameter that must be a whole number and
 * is not ({@link NumberParams}), a body that is not JSON or JSON of the wrong shape ({@link kz.ehr.events.problem.JsonBodies}).
 */
@Provider
public class BillingRequestProblems extends NumberParams {
    @Override
    public Response problem(int status, String code, String field, String detail) {
        return new ProblemMapper().toResponse(new BillingProblem(status, code, Problems.title(status), detail, field));
    }
}
