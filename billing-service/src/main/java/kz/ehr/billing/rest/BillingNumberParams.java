package kz.ehr.billing.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import kz.ehr.billing.BillingProblem;
import kz.ehr.events.problem.NumberParams;

/** Billing's whole-number query parameters: a non-number is billing's 400 problem ({@link NumberParams}). */
@Provider
public class BillingNumberParams extends NumberParams {
    @Override
    protected Response problem(String code, String field, String detail) {
        return new ProblemMapper().toResponse(BillingProblem.badRequest(code, field, detail));
    }
}
