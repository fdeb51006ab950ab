package kz.ehr.ingestion.rest;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
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

    public record AuditPage(List<AuditLog.Entry> items, Long nextCursor) {
    }

    @GET
    @RolesAllowed(Roles.AUDITOR)
    public Response find(@QueryParam("who") String who, @QueryParam("action") String action,
                         @QueryParam("provider") String provider, @QueryParam("from") String from, @QueryParam("to") String to,
                         @QueryParam("before") Long before, @QueryParam("limit") @DefaultValue("100") int limit,
                         @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        if (limit < 1 || limit > 1000) {
            return Problems.response(400, "INVALID_PARAMETER", "limit", "limit must be between 1 and 1000").build();
        }
        Instant since;
        Instant until;
        try {
            since = instant(from);
            until = instant(to);
        } catch (DateTimeParseException e) {
            return Problems.response(400, "INVALID_PARAMETER", from != null && instantOrNull(from) == null ? "from" : "to",
                    "from and to are ISO-8601 instants such as 2026-11-28T08:00:00Z").build();
        }
        List<AuditLog.Entry> items = audit.find(new AuditLog.Query(blank(who), blank(action), blank(provider), since, until,
                before, limit));
        Caller caller = Caller.of(identity, purpose);
        audit.record(caller.who(), AuditLog.Action.READ_AUDIT, blank(provider) == null ? "*" : provider.strip(), caller.purpose());
        return Response.ok(new AuditPage(items, items.size() == limit ? items.get(items.size() - 1).id() : null)).build();
    }

    private static Instant instant(String s) {
        return s == null || s.isBlank() ? null : Instant.parse(s.strip());
    }

    private static Instant instantOrNull(String s) {
        try {
            return instant(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
