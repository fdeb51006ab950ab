package kz.ehr.certificates.rest;

import java.util.List;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import kz.ehr.certificates.eligibility.Ineligibility;
import kz.ehr.events.problem.ProblemDetails;

/**
 * The certificate service's problem details: the shared members ({@link ProblemDetails}) and {@code reasons}, every
 * ineligibility of a refused certificate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String field,
                      List<Ineligibility> reasons) {
    public static final String MEDIA_TYPE = ProblemDetails.MEDIA_TYPE;

    public static Problem of(int status, String code, String title, String detail, String field) {
        return new Problem(ProblemDetails.type("https://ehr.kz/problems/", code), title, status, detail, code, field, null);
    }

    /** This problem as the answer. */
    public Response response() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
