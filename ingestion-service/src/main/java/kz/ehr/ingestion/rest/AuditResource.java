package kz.ehr.ingestion.rest;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.ingestion.audit.AuditLog;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.security.audit.AuditPage;
import kz.ehr.security.audit.AuditParams;
import kz.ehr.security.audit.AuditQuery;
import kz.ehr.security.audit.AuditTrailResource;

/** The auditor's read of the audit log (the shared {@link AuditTrailResource}); the subject is the provider. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AuditResource extends AuditTrailResource<AuditLog.Entry> {
    @Inject
    AuditLog audit;

    @GET
    @RolesAllowed(Roles.AUDITOR)
    public AuditPage<AuditLog.Entry> find(@BeanParam AuditParams params, @QueryParam("provider") String provider)
            throws SQLException {
        return read(params, provider);
    }

    @Override
    protected RuntimeException refuse(String code, String field, String detail) {
        return new WebApplicationException(Problems.response(400, code, field, detail).build());
    }

    @Override
    protected AuditPage<AuditLog.Entry> find(AuditQuery query) throws SQLException {
        return audit.find(query);
    }

    @Override
    protected void recordRead(Caller caller, AuditQuery query, AuditPage<AuditLog.Entry> page) throws SQLException {
        audit.record(caller.who(), AuditLog.Action.READ_AUDIT, query.subject() == null ? "*" : query.subject(), caller.purpose());
    }
}
