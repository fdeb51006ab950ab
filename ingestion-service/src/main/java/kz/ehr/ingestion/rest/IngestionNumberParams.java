package kz.ehr.ingestion.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import kz.ehr.events.problem.NumberParams;

/** Ingestion's whole-number query parameters: a non-number is its 400 problem ({@link NumberParams}). */
@Provider
public class IngestionNumberParams extends NumberParams {
    @Override
    public Response problem(int status, String code, String field, String detail) {
        return Problems.response(status, code, field, detail).build();
    }
}
