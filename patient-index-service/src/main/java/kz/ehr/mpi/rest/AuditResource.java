package kz.ehr.mpi.rest;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.mpi.MpiProblem;
import kz.ehr.mpi.audit.AuditLog;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.security.audit.AuditPage;
import kz.ehr.security.audit.AuditParams;
import kz.ehr.security.audit.AuditQuery;
import kz.ehr.security.audit.AuditTrailResource;

/** The audit log for auditors (the shared {@link AuditTrailResource}); the subject is the enterprise id. */
@Path("/api/v1/audit")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.AUDITOR)
public class AuditResource extends AuditTrailResource<AuditLog.Entry> {
    @Inject
    AuditLog audit;

    @GET
    public AuditPage<AuditLog.Entry> list(@BeanParam AuditParams params, @QueryParam("enterpriseId") String enterpriseId)
            throws SQLException {
        return read(params, enterpriseId);
    }

    @Override
    protected RuntimeException refuse(String code, String field, String detail) {
        return MpiProblem.badRequest(code, field, detail);
    }

    @Override
    protected void check(AuditQuery query) {
        if (query.subject() != null) {
            Params.uuid(query.subject(), "enterpriseId");
        }
    }

    @Override
    protected AuditPage<AuditLog.Entry> find(AuditQuery query) throws SQLException {
        return audit.page(query);
    }

    @Override
    protected void recordRead(Caller caller, AuditQuery query, AuditPage<AuditLog.Entry> page) {
        audit.record(caller, "READ_AUDIT", query.subject() == null ? null : Params.uuid(query.subject(), "enterpriseId"), null);
    }
}
