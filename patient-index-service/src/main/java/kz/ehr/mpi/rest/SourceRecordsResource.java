package kz.ehr.mpi.rest;

import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.mpi.MpiProblem;
import kz.ehr.mpi.audit.AuditLog;
import kz.ehr.mpi.linking.ManualDecisions;
import kz.ehr.mpi.patients.PatientQueries;

/** Source record → enterprise id (API.md), and manual link / unlink of one source record. */
@Path("/api/v1/source-records")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class SourceRecordsResource {
    @Inject
    PatientQueries queries;
    @Inject
    ManualDecisions decisions;
    @Inject
    AuditLog audit;

    /** Body of a manual link or unlink. */
    public record LinkRequest(String enterpriseId, String reason) {
    }

    @GET
    @Path("/{providerId}/{localId}")
    public Response get(@PathParam("providerId") String providerId, @PathParam("localId") String localId) throws SQLException {
        return queries.sourceRecord(providerId, localId)
                .map(link -> Response.ok(link).build())
                .orElseThrow(() -> MpiProblem.notFound("SOURCE_RECORD_NOT_FOUND",
                        "no record " + localId + " from provider " + providerId + " has been linked yet"));
    }

    @POST
    @Path("/{providerId}/{localId}/link")
    @Consumes(MediaType.APPLICATION_JSON)
    public ManualDecisions.Outcome link(@PathParam("providerId") String providerId, @PathParam("localId") String localId,
                                        LinkRequest body, @HeaderParam("X-User") String user) throws SQLException {
        if (body == null || body.enterpriseId() == null) {
            throw MpiProblem.badRequest("ENTERPRISE_ID_REQUIRED", "enterpriseId", "name the enterprise patient to link to");
        }
        AuditLog.Caller caller = AuditLog.Caller.of(user, null);
        ManualDecisions.Outcome o = decisions.link(providerId, localId, Params.uuid(body.enterpriseId(), "enterpriseId"),
                caller.actor(), body.reason());
        audit.record(caller, "MANUAL_LINK", o.enterpriseId(), "source " + providerId + "/" + localId);
        return o;
    }

    @POST
    @Path("/{providerId}/{localId}/unlink")
    @Consumes(MediaType.APPLICATION_JSON)
    public ManualDecisions.Outcome unlink(@PathParam("providerId") String providerId, @PathParam("localId") String localId,
                                          LinkRequest body, @HeaderParam("X-User") String user) throws SQLException {
        AuditLog.Caller caller = AuditLog.Caller.of(user, null);
        ManualDecisions.Outcome o = decisions.unlink(providerId, localId, caller.actor(), body == null ? null : body.reason());
        audit.record(caller, "MANUAL_UNLINK", o.previousEnterpriseId(), "source " + providerId + "/" + localId);
        return o;
    }
}
