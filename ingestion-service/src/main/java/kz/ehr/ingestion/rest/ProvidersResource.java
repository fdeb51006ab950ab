package kz.ehr.ingestion.rest;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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

import io.smallrye.common.annotation.Blocking;
import kz.ehr.ingestion.config.IngestionConfig;
import kz.ehr.ingestion.providers.ProviderKeys;
import kz.ehr.ingestion.stats.ProviderStatistics;

/**
 * For providers and ops: statistics, the recent-rejection list (to fix and resend), and key rotation (ops only).
 * A provider authenticates with its own key and sees only itself; ops use the ops token.
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
    IngestionConfig config;

    public record RejectionPage(List<ProviderStatistics.Rejection> items, Long nextCursor) {
    }

    @GET
    @Path("/stats")
    public Response allStats(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) throws SQLException {
        Optional<Response> denied = require(authorization, null);
        return denied.isPresent() ? denied.get() : Response.ok(statistics.all(Instant.now())).build();
    }

    @GET
    @Path("/{providerId}/stats")
    public Response stats(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @PathParam("providerId") String providerId) throws SQLException {
        Optional<Response> denied = require(authorization, providerId);
        if (denied.isPresent()) {
            return denied.get();
        }
        Instant now = Instant.now();
        return Response.ok(statistics.of(providerId, now).orElseGet(() -> new ProviderStatistics.ProviderStats(providerId,
                0, 0, 0, 0, 0, 0, java.util.Map.of(), null, null, new ProviderStatistics.RecordsPerMinute(0, 0, 0)))).build();
    }

    @GET
    @Path("/{providerId}/rejections")
    public Response rejections(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @PathParam("providerId") String providerId,
                               @QueryParam("limit") @DefaultValue("50") int limit,
                               @QueryParam("before") Long before,
                               @QueryParam("reason") String reason) throws SQLException {
        Optional<Response> denied = require(authorization, providerId);
        if (denied.isPresent()) {
            return denied.get();
        }
        if (limit < 1 || limit > 500) {
            return Problems.response(400, "INVALID_PARAMETER", "limit", "limit must be between 1 and 500").build();
        }
        // rejected payloads carry patients' data: every read is audited
        statistics.audit(callers.identify(authorization).orElseThrow(), "READ_REJECTIONS", providerId, reason);
        List<ProviderStatistics.Rejection> items = statistics.rejections(providerId, before, limit);
        Long next = items.size() == limit ? items.get(items.size() - 1).id() : null;
        return Response.ok(new RejectionPage(items, next)).build();
    }

    @GET
    @Path("/{providerId}/keys")
    public Response listKeys(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @PathParam("providerId") String providerId) throws SQLException {
        Optional<Response> denied = require(authorization, null);
        return denied.isPresent() ? denied.get() : Response.ok(keys.keys(providerId)).build();
    }

    @POST
    @Path("/{providerId}/keys")
    public Response issueKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @PathParam("providerId") String providerId) throws SQLException {
        Optional<Response> denied = require(authorization, null);
        if (denied.isPresent()) {
            return denied.get();
        }
        if (!ProviderKeys.PROVIDER_ID.matcher(providerId).matches()) {
            return Problems.response(400, "INVALID_PARAMETER", "providerId",
                    "provider id must match " + ProviderKeys.PROVIDER_ID.pattern()).build();
        }
        return Response.status(201).entity(keys.issue(providerId)).build();
    }

    @DELETE
    @Path("/{providerId}/keys/{keyId}")
    public Response revokeKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                              @PathParam("providerId") String providerId, @PathParam("keyId") String keyId) throws SQLException {
        Optional<Response> denied = require(authorization, null);
        if (denied.isPresent()) {
            return denied.get();
        }
        return keys.revoke(providerId, keyId) ? Response.noContent().build()
                : Problems.response(404, "KEY_NOT_FOUND", "keyId", "no active key " + keyId + " for provider " + providerId).build();
    }

    /** @param providerId the provider whose data is asked for, or null for ops-only endpoints */
    private Optional<Response> require(String authorization, String providerId) throws SQLException {
        Optional<String> caller = callers.identify(authorization);
        if (caller.isEmpty()) {
            return Optional.of(Problems.response(401, "UNAUTHENTICATED", "Authorization",
                    "send Authorization: Bearer <provider key or ops token>").build());
        }
        boolean allowed = providerId == null ? Callers.OPS.equals(caller.get()) : Callers.maySee(caller.get(), providerId);
        if (!allowed) {
            return Optional.of(Problems.response(403, "FORBIDDEN", null, providerId == null
                    ? "this endpoint is for ops (the ops token)" : "a provider may see only its own data").build());
        }
        return Optional.empty();
    }
}
