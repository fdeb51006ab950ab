package kz.ehr.billing.rest;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.billing.BillingProblem;
import kz.ehr.billing.audit.AuditLog;
import kz.ehr.security.Roles;

/** The audit trail for auditors: read only; the API has no way to change it (PUT/PATCH/DELETE answer 405). */
@Path("/api/v1/audit")
@Blocking
@Produces("application/json")
public class AuditResource {
    @Inject
    AuditLog audit;

    @GET
    @RolesAllowed(Roles.AUDITOR)
    public AuditLog.Page list(@QueryParam("who") String who, @QueryParam("action") String action,
            @QueryParam("patient") String patient, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("after") String after, @QueryParam("limit") Integer limit) throws SQLException {
        if (action != null) {
            try {
                AuditLog.Action.valueOf(action);
            } catch (IllegalArgumentException e) {
                throw BillingProblem.badRequest("INVALID_ACTION", "action", "action \"" + action + "\" is not one of "
                        + java.util.Arrays.toString(AuditLog.Action.values()));
            }
        }
        if (after != null && !after.matches("\\d{1,18}")) {
            throw BillingProblem.badRequest("INVALID_CURSOR", "after", "after must be the nextCursor of a previous page");
        }
        return audit.page(new AuditLog.Filter(who, action, patient, Params.instant("from", from), Params.instant("to", to)),
                after, Params.limit(limit));
    }
}
