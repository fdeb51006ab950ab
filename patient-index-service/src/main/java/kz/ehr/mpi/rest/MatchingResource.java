package kz.ehr.mpi.rest;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.mpi.audit.AuditLog;
import kz.ehr.mpi.estimation.WeightEstimation;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/** Matching weights for ops: EM estimates from stored pairs, to compare with the configured m/u. Nothing is applied. */
@Path("/api/v1/matching")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class MatchingResource {
    @Inject
    WeightEstimation estimation;
    @Inject
    AuditLog audit;
    @Inject
    SecurityIdentity identity;

    /** Optional body: how many source records to sample (default 2,000, at most 50,000). */
    public record EstimationRequest(Integer sampleSize) {
    }

    @POST
    @RolesAllowed(Roles.OPS)
    @Path("/estimations")
    @Consumes(MediaType.APPLICATION_JSON)
    public WeightEstimation.Result estimate(EstimationRequest body) throws SQLException {
        Integer size = body == null ? null : body.sampleSize();
        if (size != null && (size < 1 || size > 50_000)) {
            throw kz.ehr.mpi.MpiProblem.badRequest("INVALID_SAMPLE_SIZE", "sampleSize", "sampleSize must be between 1 and 50000");
        }
        WeightEstimation.Result r = estimation.estimate(size == null ? 2_000 : size);
        // compares record pairs in memory; the audit notes the run, the pairs' data never leave this call
        audit.record(Caller.of(identity, null), "EM_ESTIMATION", null, r.sampledRecords() + " records, " + r.pairs() + " pairs");
        return r;
    }
}
