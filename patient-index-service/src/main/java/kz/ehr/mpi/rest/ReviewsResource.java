package kz.ehr.mpi.rest;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import jakarta.annotation.security.RolesAllowed;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.mpi.MpiProblem;
import kz.ehr.mpi.audit.AuditLog;
import kz.ehr.mpi.linking.LinkingMetrics;
import kz.ehr.mpi.linking.ManualDecisions;
import kz.ehr.mpi.patients.PatientQueries;
import kz.ehr.mpi.patients.PatientViews;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/** The review queue: pairs the matcher would not decide alone. Reviewers only; a decision needs a reason. */
@Path("/api/v1/reviews")
@RolesAllowed(Roles.REVIEWER)
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class ReviewsResource {
    @Inject
    PatientQueries queries;
    @Inject
    ManualDecisions decisions;
    @Inject
    LinkingMetrics metrics;
    @Inject
    AuditLog audit;
    @Inject
    SecurityIdentity identity;

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
    public ManualDecisions.Outcome accept(@PathParam("reviewId") String id, DecisionRequest body) throws SQLException {
        return decide(id, true, body);
    }

    @POST
    @Path("/{reviewId}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    public ManualDecisions.Outcome reject(@PathParam("reviewId") String id, DecisionRequest body) throws SQLException {
        return decide(id, false, body);
    }

    private ManualDecisions.Outcome decide(String id, boolean accept, DecisionRequest body) throws SQLException {
        UUID reviewId = Params.uuid(id, "reviewId");
        Caller caller = Caller.of(identity, Params.reason(body == null ? null : body.reason()));
        ManualDecisions.Outcome o = decisions.decideReview(reviewId, accept, caller.who(), caller.purpose());
        metrics.reviewDecided(accept);
        audit.record(caller, accept ? "REVIEW_ACCEPT" : "REVIEW_REJECT", o.enterpriseId(), "review " + id);
        return o;
    }
}
