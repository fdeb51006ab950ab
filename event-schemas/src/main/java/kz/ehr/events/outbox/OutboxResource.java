package kz.ehr.events.outbox;

import java.sql.SQLException;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.events.ops.OpsAudit;
import kz.ehr.events.ops.OpsProblems;

/**
 * {@code GET /api/v1/ops/outbox} for ops (role {@code ops}): how many rows wait, since when, and the rows set aside
 * with their error codes. It reads no patient data (no key, no payload), so it is not audited. After a fix,
 * {@code POST /api/v1/ops/outbox/{id}/requeue} puts a set-aside row back in the queue (audited,
 * {@code REQUEUE_OUTBOX_ROW}); 404 {@code NOT_SET_ASIDE} when no such row is set aside. A service without an outbox
 * answers 404 {@code NO_OUTBOX}.
 */
@Path("/api/v1/ops/outbox")
@Blocking
@Produces("application/json")
public class OutboxResource {
    @Inject
    OutboxPublisher publisher;
    @Inject
    OpsAudit audit;

    @GET
    @RolesAllowed("ops")
    public Response status(@QueryParam("limit") Integer limit) throws SQLException {
        if (!publisher.enabled()) {
            return Response.status(404).type("application/problem+json")
                    .entity(Map.of("type", "about:blank", "title", "Not Found", "status", 404, "code", "NO_OUTBOX",
                            "detail", "this service publishes directly and has no outbox"))
                    .build();
        }
        int n = limit == null ? 100 : limit;
        if (n < 0 || n > 1000) {
            return Response.status(400).type("application/problem+json")
                    .entity(Map.of("type", "about:blank", "title", "Bad Request", "status", 400, "code", "INVALID_LIMIT",
                            "field", "limit", "detail", "limit must be between 0 and 1000, got " + n))
                    .build();
        }
        return Response.ok(publisher.status(n)).build();
    }

    @POST
    @Path("{id}/requeue")
    @RolesAllowed("ops")
    public Response requeue(@PathParam("id") long id, @HeaderParam("X-Purpose") String purpose,
                            @Context SecurityContext caller) throws SQLException {
        if (!publisher.enabled()) {
            return OpsProblems.problem(404, "NO_OUTBOX", null, "this service publishes directly and has no outbox");
        }
        // audited before it is done: an attempt is on record even if the answer is lost
        audit.record(OpsAudit.who(caller), OpsAudit.REQUEUE_OUTBOX_ROW, "outbox/" + id, purpose);
        if (!publisher.requeue(id)) {
            return OpsProblems.problem(404, "NOT_SET_ASIDE", "id", "outbox row " + id + " is not set aside");
        }
        return Response.ok(Map.of("id", id, "requeued", true)).build();
    }
}
