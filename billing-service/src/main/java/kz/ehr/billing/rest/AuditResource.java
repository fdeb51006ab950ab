package kz.ehr.billing.rest;

import java.sql.SQLException;
import java.util.Arrays;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.billing.BillingProblem;
import kz.ehr.billing.audit.AuditLog;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.security.audit.AuditPage;
import kz.ehr.security.audit.AuditQuery;

/** The audit trail for auditors: read only; the API has no way to change it (PUT/PATCH/DELETE answer 405). */
@Path("/api/v1/audit")
@Blocking
@Produces("application/json")
public class AuditResource {
    @Inject
    AuditLog audit;
    @Inject
    SecurityIdentity identity;

    /** Newest first; {@code before} = the previous page's nextCursor; from/to are ISO-8601 instants. */
    @GET
    @RolesAllowed(Roles.AUDITOR)
    public AuditPage<AuditLog.Entry> list(@QueryParam("who") String who, @QueryParam("action") String action,
            @QueryParam("patient") String patient, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("before") Long before, @QueryParam("limit") Integer limit,
            @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        if (action != null && !action.isBlank()) {
            try {
                AuditLog.Action.valueOf(action.strip());
            } catch (IllegalArgumentException e) {
                throw BillingProblem.badRequest("INVALID_ACTION", "action", "action \"" + action + "\" is not one of "
                        + Arrays.toString(AuditLog.Action.values()));
            }
        }
        AuditQuery query;
        try {
            query = AuditQuery.parse(who, action, patient, from, to, before, limit);
        } catch (AuditQuery.InvalidParameter e) {
            throw BillingProblem.badRequest("INVALID_PARAMETER", e.field(), e.getMessage());
        }
        AuditPage<AuditLog.Entry> page = audit.find(query);
        // reading who looked at whom is itself worth knowing
        audit.record(Caller.of(identity, purpose), AuditLog.Action.READ_AUDIT, query.subject(),
                "audit who=" + query.who() + " action=" + query.action(), page.items().size());
        return page;
    }
}
