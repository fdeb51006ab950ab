package kz.ehr.billing.rest;

import java.sql.SQLException;
import java.util.Arrays;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.billing.BillingProblem;
import kz.ehr.billing.audit.AuditLog;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.security.audit.AuditPage;
import kz.ehr.security.audit.AuditParams;
import kz.ehr.security.audit.AuditQuery;
import kz.ehr.security.audit.AuditTrailResource;

/** The audit trail for auditors (the shared {@link AuditTrailResource}); the subject is the patient. */
@Path("/api/v1/audit")
@Blocking
@Produces("application/json")
public class AuditResource extends AuditTrailResource<AuditLog.Entry> {
    @Inject
    AuditLog audit;

    /** Newest first; {@code before} = the previous page's nextCursor; from/to are ISO-8601 instants. */
    @GET
    @RolesAllowed(Roles.AUDITOR)
    public AuditPage<AuditLog.Entry> list(@BeanParam AuditParams params, @QueryParam("patient") String patient)
            throws SQLException {
        return read(params, patient);
    }

    @Override
    protected RuntimeException refuse(String code, String field, String detail) {
        return BillingProblem.badRequest(code, field, detail);
    }

    @Override
    protected void check(AuditQuery query) {
        if (query.action() != null && Arrays.stream(AuditLog.Action.values()).noneMatch(a -> a.name().equals(query.action()))) {
            throw BillingProblem.badRequest("INVALID_ACTION", "action", "action \"" + query.action() + "\" is not one of "
                    + Arrays.toString(AuditLog.Action.values()));
        }
    }

    @Override
    protected AuditPage<AuditLog.Entry> find(AuditQuery query) throws SQLException {
        return audit.find(query);
    }

    @Override
    protected void recordRead(Caller caller, AuditQuery query, AuditPage<AuditLog.Entry> page) {
        audit.record(caller, AuditLog.Action.READ_AUDIT, query.subject(),
                "audit who=" + query.who() + " action=" + query.action(), page.items().size());
    }
}
