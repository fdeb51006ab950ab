package kz.ehr.certificates.rest;

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
import kz.ehr.certificates.audit.AccessAudit;
import kz.ehr.certificates.issuance.IssuanceException;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.security.audit.AuditPage;
import kz.ehr.security.audit.AuditQuery;

/**
 * The auditor's view of the access audit: read-only by construction (GET only, so PUT/PATCH/DELETE answer 405) and
 * append-only in the database. Newest first; {@code nextCursor} goes into {@code before} for the next page.
 */
@Path("/api/v1/audit")
@Blocking
public class AuditResource {
    @Inject
    AccessAudit audit;
    @Inject
    SecurityIdentity identity;

    @GET
    @RolesAllowed(Roles.AUDITOR)
    @Produces(MediaType.APPLICATION_JSON)
    public AuditPage<AccessAudit.Entry> find(@QueryParam("who") String who, @QueryParam("action") String action,
                                             @QueryParam("patient") String patient, @QueryParam("from") String from,
                                             @QueryParam("to") String to, @QueryParam("before") Long before,
                                             @QueryParam("limit") Integer limit,
                                             @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        AuditQuery query;
        try {
            query = AuditQuery.parse(who, action, patient, from, to, before, limit);
        } catch (AuditQuery.InvalidParameter e) {
            throw new IssuanceException(IssuanceException.Kind.INVALID_REQUEST, "INVALID_PARAMETER", e.field(), e.getMessage(), null);
        }
        AuditPage<AccessAudit.Entry> page = audit.find(query);
        // reading who looked at whom is itself worth knowing
        audit.record(Caller.of(identity, purpose), AccessAudit.Action.READ_AUDIT, null, query.subject());
        return page;
    }
}
