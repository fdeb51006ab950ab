package kz.ehr.ingestion.rest;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.ingestion.audit.AuditLog;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.security.audit.AuditPage;
import kz.ehr.security.audit.AuditQuery;

/**
 * The auditor's read of the audit log: GET only (PUT/PATCH/DELETE answer 405), append-only in the database.
 * Newest first; {@code nextCursor} goes into {@code before}. Filters: who, action, provider, from/to (ISO instants).
 */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AuditResource {
    @Inject
    AuditLog audit;
    @Inject
    SecurityIdentity identity;

    @GET
    @RolesAllowed(Roles.AUDITOR)
    public Response find(@QueryParam("who") String who, @QueryParam("action") String action,
                         @QueryParam("provider") String provider, @QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("before") Long before, @QueryParam("limit") Integer limit,
                         @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        AuditQuery query;
        try {
            query = AuditQuery.parse(who, action, provider, from, to, before, limit);
        } catch (AuditQuery.InvalidParameter e) {
            return Problems.response(400, "INVALID_PARAMETER", e.field(), e.getMessage()).build();
        }
        AuditPage<AuditLog.Entry> page = audit.find(query);
        Caller caller = Caller.of(identity, purpose);
        audit.record(caller.who(), AuditLog.Action.READ_AUDIT, query.subject() == null ? "*" : query.subject(), caller.purpose());
        return Response.ok(page).build();
    }
}
