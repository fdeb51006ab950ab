package kz.ehr.mpi.rest;

import java.sql.SQLException;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.mpi.MpiProblem;
import kz.ehr.mpi.audit.AuditLog;
import kz.ehr.mpi.linking.ManualDecisions;
import kz.ehr.mpi.patients.PatientQueries;
import kz.ehr.mpi.patients.PatientViews;

/** The review queue: pairs the matcher would not decide alone. */
@Path("/api/v1/reviews")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class ReviewsResource {
    @Inject
    PatientQueries queries;
    @Inject
    ManualDecisions decisions;
    @Inject
    AuditLog audit;

    /** Body of a review decision. */
    public record DecisionRequest(String reason) {
    }

    @GET
    public List<PatientViews.Review> list(@QueryParam("status") @DefaultValue("OPEN") String status,
                                          @QueryParam("limit") Integer limit) throws SQLException {
        if (!List.of("OPEN", "ACCEPTED", "REJECTED").contains(status)) {
            throw MpiProblem.badRequest("INVALID_STATUS", "status", "status is one of OPEN, ACCEPTED, REJECTED");
        }
        return queries.reviews(status, Params.limit(limit, 100, 1000));
    }

    @POST
    @Path("/{reviewId}/accept")
    @Consumes(MediaType.APPLICATION_JSON)
    public ManualDecisions.Outcome accept(@PathParam("reviewId") String id, DecisionRequest body,
                                          @HeaderParam("X-User") String user) throws SQLException {
        return decide(id, true, body, user);
    }

    @POST
    @Path("/{reviewId}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    public ManualDecisions.Outcome reject(@PathParam("reviewId") String id, DecisionRequest body,
                                          @HeaderParam("X-User") String user) throws SQLException {
        return decide(id, false, body, user);
    }

    private ManualDecisions.Outcome decide(String id, boolean accept, DecisionRequest body, String user) throws SQLException {
        AuditLog.Caller caller = AuditLog.Caller.of(user, null);
        ManualDecisions.Outcome o = decisions.decideReview(Params.uuid(id, "reviewId"), accept, caller.actor(),
                body == null ? null : body.reason());
        audit.record(caller, accept ? "REVIEW_ACCEPT" : "REVIEW_REJECT", o.enterpriseId(), "review " + id);
        return o;
    }
}
