package kz.ehr.mpi.rest;

import java.sql.SQLException;
import java.util.UUID;

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

import jakarta.annotation.security.RolesAllowed;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.mpi.MpiProblem;
import kz.ehr.mpi.audit.AuditLog;
import kz.ehr.mpi.linking.ManualDecisions;
import kz.ehr.mpi.patients.PatientQueries;
import kz.ehr.mpi.patients.PatientViews;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/**
 * Source record → enterprise id (API.md; clinicians and reviewers, with a purpose, audited — the answer carries the
 * IIN), and manual link / unlink of one source record (reviewers, with a reason).
 */
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
    @Inject
    SecurityIdentity identity;

    /** Body of a manual link or unlink. */
    public record LinkRequest(String enterpriseId, String reason) {
    }

    @GET
    @RolesAllowed({Roles.CLINICIAN, Roles.REVIEWER})
    @Path("/{providerId}/{localId}")
    public Response get(@PathParam("providerId") String providerId, @PathParam("localId") String localId,
                        @HeaderParam("X-Purpose") String purpose) throws SQLException {
        Caller caller = Params.caller(identity, purpose);
        PatientViews.SourceLink link = queries.sourceRecord(providerId, localId)
                .orElseThrow(() -> MpiProblem.notFound("SOURCE_RECORD_NOT_FOUND",
                        "no record " + localId + " from provider " + providerId + " has been linked yet"));
        audit.record(caller, "READ_SOURCE_RECORD", link.enterpriseId(), "source " + providerId + "/" + localId);
        return Response.ok(link).build();
    }

    @POST
    @RolesAllowed(Roles.REVIEWER)
    @Path("/{providerId}/{localId}/link")
    @Consumes(MediaType.APPLICATION_JSON)
    public ManualDecisions.Outcome link(@PathParam("providerId") String providerId, @PathParam("localId") String localId,
                                        LinkRequest body) throws SQLException {
        if (body == null || body.enterpriseId() == null) {
            throw MpiProblem.badRequest("ENTERPRISE_ID_REQUIRED", "enterpriseId", "name the enterprise patient to link to");
        }
        UUID target = Params.uuid(body.enterpriseId(), "enterpriseId");
        Caller caller = Caller.of(identity, Params.reason(body.reason()));
        ManualDecisions.Outcome o = decisions.link(providerId, localId, target, caller.who(), caller.purpose());
        audit.record(caller, "MANUAL_LINK", o.enterpriseId(), "source " + providerId + "/" + localId);
        return o;
    }

    @POST
    @RolesAllowed(Roles.REVIEWER)
    @Path("/{providerId}/{localId}/unlink")
    @Consumes(MediaType.APPLICATION_JSON)
    public ManualDecisions.Outcome unlink(@PathParam("providerId") String providerId, @PathParam("localId") String localId,
                                          LinkRequest body) throws SQLException {
        Caller caller = Caller.of(identity, Params.reason(body == null ? null : body.reason()));
        ManualDecisions.Outcome o = decisions.unlink(providerId, localId, caller.who(), caller.purpose());
        audit.record(caller, "MANUAL_UNLINK", o.previousEnterpriseId(), "source " + providerId + "/" + localId);
        return o;
    }
}
