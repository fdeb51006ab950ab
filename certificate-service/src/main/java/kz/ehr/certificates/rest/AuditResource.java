package kz.ehr.certificates.rest;

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
import kz.ehr.certificates.audit.AccessAudit;
import kz.ehr.certificates.issuance.IssuanceException;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.security.audit.AuditPage;
import kz.ehr.security.audit.AuditParams;
import kz.ehr.security.audit.AuditQuery;
import kz.ehr.security.audit.AuditTrailResource;

/** The auditor's view of the access audit (the shared {@link AuditTrailResource}); the subject is the patient. */
@Path("/api/v1/audit")
@Blocking
public class AuditResource extends AuditTrailResource<AccessAudit.Entry> {
    @Inject
    AccessAudit audit;

    @GET
    @RolesAllowed(Roles.AUDITOR)
    @Produces(MediaType.APPLICATION_JSON)
    public AuditPage<AccessAudit.Entry> find(@BeanParam AuditParams params, @QueryParam("patient") String patient)
            throws SQLException {
        return read(params, patient);
    }

    @Override
    protected RuntimeException refuse(String code, String field, String detail) {
        return new IssuanceException(IssuanceException.Kind.INVALID_REQUEST, code, field, detail, null);
    }

    @Override
    protected AuditPage<AccessAudit.Entry> find(AuditQuery query) throws SQLException {
        return audit.find(query);
    }

    @Override
    protected void recordRead(Caller caller, AuditQuery query, AuditPage<AccessAudit.Entry> page) throws SQLException {
        audit.record(caller, AccessAudit.Action.READ_AUDIT, null, query.subject());
    }
}
