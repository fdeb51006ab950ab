package kz.ehr.mpi.rest;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.mpi.MpiProblem;
import kz.ehr.mpi.audit.AuditLog;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.security.audit.AuditPage;
import kz.ehr.security.audit.AuditQuery;

/**
 * The audit log for auditors: read-only by design (no PUT/PATCH/DELETE here; the table refuses changes too).
 * Newest first; {@code nextCursor} goes into {@code before} for the next page.
 */
@Path("/api/v1/audit")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.AUDITOR)
public class AuditResource {
    @Inject
    AuditLog audit;
    @Inject
    SecurityIdentity identity;

    @GET
    public AuditPage<AuditLog.Entry> list(@QueryParam("who") String who, @QueryParam("action") String action,
                                          @QueryParam("enterpriseId") String enterpriseId, @QueryParam("from") String from,
                                          @QueryParam("to") String to, @QueryParam("before") Long before,
                                          @QueryParam("limit") Integer limit,
                                          @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        AuditQuery query;
        try {
            query = AuditQuery.parse(who, action, enterpriseId, from, to, before, limit);
        } catch (AuditQuery.InvalidParameter e) {
            throw MpiProblem.badRequest("INVALID_PARAMETER", e.field(), e.getMessage());
        }
        var subject = query.subject() == null ? null : Params.uuid(query.subject(), "enterpriseId");
        AuditPage<AuditLog.Entry> page = audit.page(query);
        // reading who looked at whom is itself worth knowing
        audit.record(Caller.of(identity, purpose), "READ_AUDIT", subject, null);
        return page;
    }
}
