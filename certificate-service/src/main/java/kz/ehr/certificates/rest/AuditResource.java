package kz.ehr.certificates.rest;

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

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.certificates.audit.AccessAudit;
import kz.ehr.certificates.issuance.IssuanceException;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

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

    public record AuditPage(List<AccessAudit.Entry> items, Long nextCursor) {
    }

    @GET
    @RolesAllowed(Roles.AUDITOR)
    @Produces(MediaType.APPLICATION_JSON)
    public AuditPage find(@QueryParam("who") String who, @QueryParam("action") String action,
                          @QueryParam("patient") String patient, @QueryParam("from") String from,
                          @QueryParam("to") String to, @QueryParam("before") Long before,
                          @QueryParam("limit") @DefaultValue("100") int limit,
                          @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        if (limit < 1 || limit > 1000) {
            throw invalid("limit", "limit must be between 1 and 1000");
        }
        List<AccessAudit.Entry> items = audit.find(new AccessAudit.Query(blankToNull(who), blankToNull(action),
                blankToNull(patient), instant("from", from), instant("to", to), before, limit));
        // reading who looked at whom is itself worth knowing
        audit.record(Caller.of(identity, purpose), AccessAudit.Action.READ_AUDIT, null, blankToNull(patient));
        return new AuditPage(items, items.size() == limit ? items.get(items.size() - 1).id() : null);
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw invalid(field, field + " must be an ISO-8601 instant such as 2026-11-28T08:00:00Z, got \"" + value + "\"");
        }
    }

    private static IssuanceException invalid(String field, String detail) {
        return new IssuanceException(IssuanceException.Kind.INVALID_REQUEST, "INVALID_PARAMETER", field, detail, null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
