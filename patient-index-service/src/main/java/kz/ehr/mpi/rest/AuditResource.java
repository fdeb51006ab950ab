package kz.ehr.mpi.rest;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.mpi.MpiProblem;
import kz.ehr.mpi.audit.AuditLog;
import kz.ehr.security.Roles;

/** The audit log for auditors: read-only by design (no PUT/PATCH/DELETE here; the table refuses changes too). */
@Path("/api/v1/audit")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.AUDITOR)
public class AuditResource {
    @Inject
    AuditLog audit;

    @GET
    public AuditLog.Page list(@QueryParam("who") String who, @QueryParam("action") String action,
                              @QueryParam("enterpriseId") String enterpriseId, @QueryParam("from") String from,
                              @QueryParam("to") String to, @QueryParam("cursor") String cursor,
                              @QueryParam("limit") Integer limit) throws SQLException {
        AuditLog.Filter filter = new AuditLog.Filter(blankToNull(who), blankToNull(action),
                enterpriseId == null || enterpriseId.isBlank() ? null : Params.uuid(enterpriseId, "enterpriseId"),
                Params.instant(from, "from"), Params.instant(to, "to"));
        return audit.page(filter, cursor(cursor), Params.limit(limit, 100, 1000));
    }

    private static Long cursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw MpiProblem.badRequest("BAD_CURSOR", "cursor", "cursor must be a nextCursor from a previous page");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
