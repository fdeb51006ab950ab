package kz.ehr.certificates.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import kz.ehr.certificates.issuance.IssuanceException;

/** 400 for a bad request, 422 with every reason for a person not eligible, 404 for an unknown certificate. */
@Provider
public class IssuanceExceptionMapper implements ExceptionMapper<IssuanceException> {
    @Override
    public Response toResponse(IssuanceException e) {
        Problem p = switch (e.kind) {
            case INVALID_REQUEST -> Problem.of(400, e.code, "Invalid certificate request", e.getMessage(), e.field);
            case NOT_FOUND -> Problem.of(404, e.code, "No such certificate", e.getMessage(), e.field);
            case NOT_ELIGIBLE -> new Problem("https://ehr.kz/problems/not-eligible", "Not eligible for this certificate", 422,
                    e.getMessage(), e.code, null, e.reasons);
        };
        return p.response();
    }
}
