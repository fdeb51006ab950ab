package kz.ehr.certificates.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import kz.ehr.events.problem.NumberParams;

/** The certificate service's whole-number query parameters: a non-number is its 400 problem ({@link NumberParams}). */
@Provider
public class CertificateNumberParams extends NumberParams {
    @Override
    protected Response problem(String code, String field, String detail) {
        return Problem.of(400, code, "Invalid request", detail, field).response();
    }
}
