package kz.ehr.mpi.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import kz.ehr.events.problem.NumberParams;

/**
 * What the patient index answers a request it cannot read, as its 400 problem: a query parameter that must be
 * a whole number and is not ({@link NumberParams}), a body that is not JSON or JSON of the wrong shape ({@link kz.ehr.events.problem.JsonBodies}).
 */
@Provider
public class MpiRequestProblems extends NumberParams {
    @Override
    public Response problem(int status, String code, String field, String detail) {
        return Problems.response(status, code, field, detail).build();
    }
}
