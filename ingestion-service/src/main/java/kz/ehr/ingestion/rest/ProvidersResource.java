package kz.ehr.ingestion.rest;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.ingestion.audit.AuditLog;
import kz.ehr.ingestion.providers.ProviderKeys;
import kz.ehr.ingestion.stats.IntakeHistory;
import kz.ehr.ingestion.stats.ProviderStatistics;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/**
 * For providers and ops: statistics, the recent-rejection list (to fix and resend), and key rotation (ops only).
 * A provider authenticates with its own key and sees only itself; staff with a signed token carrying the ops role.
 */
@Path("/api/v1/providers")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ProvidersResource {
    @Inject
    Callers callers;
    @Inject
    ProviderStatistics statistics;
    @Inject
    ProviderKeys keys;
    @Inject
    SecurityIdentity identity;
    @Inject
    AuditLog audit;
    @Inject
    IntakeHistory history;

    public record RejectionPage(List<ProviderStatistics.Rejection> items, Long nextCursor) {
    }

    @GET
    @RolesAllowed(Roles.OPS)
    @Path("/stats")
    public Response allStats() throws SQLException {
        return Response.ok(statistics.all(Instant.now())).build();
    }

    /**
     * Records received per minute over the last {@code minutes} (1-1440, default 60), one series per provider
     * ({@code code} null): the Platform page's records/s line, whatever the console saw before.
     */
    @GET
    @RolesAllowed(Roles.OPS)
    @Path("/stats/records-by-minute")
    public Response recordsByMinute(@QueryParam("minutes") @DefaultValue("60") String minutes,
                                    @QueryParam("provider") String provider) throws SQLException {
        return overTime("minutes", minutes, IntakeHistory.MAX_MINUTES, n -> history.recordsByMinute(Instant.now(), n, blankToNull(provider)));
    }

    /** Rejected records per code per hour over the last {@code hours} (1-168, default 24), one series per provider and code. */
    @GET
    @RolesAllowed(Roles.OPS)
    @Path("/stats/rejections-by-hour")
    public Response rejectionsByHour(@QueryParam("hours") @DefaultValue("24") String hours,
                                     @QueryParam("provider") String provider) throws SQLException {
        return overTime("hours", hours, IntakeHistory.MAX_HOURS, n -> history.rejectionsByHour(Instant.now(), n, blankToNull(provider)));
    }

    interface HistoryRead {
        IntakeHistory.History read(int buckets) throws SQLException;
    }

    /** The history of the last {@code value} buckets (1 to {@code max}), or 400 INVALID_PARAMETER naming {@code field}. */
    private static Response overTime(String field, String value, int max, HistoryRead read) throws SQLException {
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > max) {
            return Problems.response(400, "INVALID_PARAMETER", field, field + " must be a whole number from 1 to " + max).build();
        }
        return Response.ok(read.read(n)).build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @GET
    @PermitAll // the provider itself (its key) or ops (a staff token): mayRead decides
    @Path("/{providerId}/stats")
    public Response stats(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @PathParam("providerId") String providerId) throws SQLException {
        Callers.Identified caller = callers.identify(authorization);
        Optional<Response> denied = mayRead(caller, providerId);
        if (denied.isPresent()) {
            return denied.get();
        }
        Instant now = Instant.now();
        return Response.ok(statistics.of(providerId, now).orElseGet(() -> new ProviderStatistics.ProviderStats(providerId,
                0, 0, 0, 0, 0, 0, java.util.Map.of(), null, null, new ProviderStatistics.RecordsPerMinute(0, 0, 0)))).build();
    }

    /**
     * Rejected originals carry patients' data: every read is audited, and staff must say why (X-Purpose). A provider
     * reading its own rejections may give a reason in X-Purpose (or the older {@code reason} parameter).
     */
    @GET
    @PermitAll // the provider itself (its key) or ops (a staff token): mayRead decides
    @Path("/{providerId}/rejections")
    public Response rejections(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @HeaderParam(Caller.PURPOSE_HEADER) String purpose,
                               @PathParam("providerId") String providerId,
                               @QueryParam("limit") @DefaultValue("50") int limit,
                               @QueryParam("before") Long before,
                               @QueryParam("reason") String reason) throws SQLException {
        Callers.Identified caller = callers.identify(authorization);
        Optional<Response> denied = mayRead(caller, providerId);
        if (denied.isPresent()) {
            return denied.get();
        }
        String why = Caller.of(null, purpose != null && !purpose.isBlank() ? purpose : reason).purpose();
        if (!caller.isProvider() && (purpose == null || purpose.isBlank())) {
            return Problems.response(400, "PURPOSE_REQUIRED", Caller.PURPOSE_HEADER,
                    "rejected records hold patients' data: say why you read them in header " + Caller.PURPOSE_HEADER
                            + "; it goes into the audit log").build();
        }
        if (limit < 1 || limit > 500) {
            return Problems.response(400, "INVALID_PARAMETER", "limit", "limit must be between 1 and 500").build();
        }
        audit.record(caller.who(), AuditLog.Action.READ_REJECTIONS, providerId, why);
        List<ProviderStatistics.Rejection> items = statistics.rejections(providerId, before, limit);
        Long next = items.size() == limit ? items.get(items.size() - 1).id() : null;
        return Response.ok(new RejectionPage(items, next)).build();
    }

    @GET
    @RolesAllowed(Roles.OPS)
    @Path("/{providerId}/keys")
    public Response listKeys(@PathParam("providerId") String providerId) throws SQLException {
        return Response.ok(keys.keys(providerId)).build();
    }

    @POST
    @RolesAllowed(Roles.OPS)
    @Path("/{providerId}/keys")
    public Response issueKey(@PathParam("providerId") String providerId, @HeaderParam(Caller.PURPOSE_HEADER) String purpose)
            throws SQLException {
        if (!ProviderKeys.PROVIDER_ID.matcher(providerId).matches()) {
            return Problems.response(400, "INVALID_PARAMETER", "providerId",
                    "provider id must match " + ProviderKeys.PROVIDER_ID.pattern()).build();
        }
        ProviderKeys.IssuedKey issued = keys.issue(providerId);
        Caller staff = Caller.of(identity, purpose);
        audit.record(staff.who(), AuditLog.Action.ISSUE_KEY, providerId + "/" + issued.keyId(), staff.purpose());
        return Response.status(201).entity(issued).build();
    }

    @DELETE
    @RolesAllowed(Roles.OPS)
    @Path("/{providerId}/keys/{keyId}")
    public Response revokeKey(@PathParam("providerId") String providerId, @PathParam("keyId") String keyId,
                              @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        if (!keys.revoke(providerId, keyId)) {
            return Problems.response(404, "KEY_NOT_FOUND", "keyId", "no active key " + keyId + " for provider " + providerId).build();
        }
        Caller staff = Caller.of(identity, purpose);
        audit.record(staff.who(), AuditLog.Action.REVOKE_KEY, providerId + "/" + keyId, staff.purpose());
        return Response.noContent().build();
    }

    /** A provider may read only its own data; staff need the ops role. */
    private static Optional<Response> mayRead(Callers.Identified caller, String providerId) {
        if (caller.isProvider()) {
            return caller.providerId().equals(providerId) ? Optional.empty()
                    : Optional.of(Problems.response(403, "FORBIDDEN", null, "a provider may see only its own data").build());
        }
        if (caller.staff() == null) {
            return Optional.of(Problems.response(401, "UNAUTHENTICATED", "Authorization",
                    "send Authorization: Bearer <provider key or staff token with the ops role>").build());
        }
        return caller.isOps() ? Optional.empty()
                : Optional.of(Problems.response(403, "FORBIDDEN", null, "this endpoint is for the provider itself or ops").build());
    }
}
