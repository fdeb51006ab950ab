package kz.ehr.billing.rest;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.billing.BillingProblem;
import kz.ehr.billing.audit.AuditLog;
import kz.ehr.billing.projection.PersonEvents;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/** What billing knows about a person: the facts capitation and the fraud monitor read. Ops only, with a purpose, audited. */
@Path("/api/v1/persons")
@Blocking
public class PersonsResource {
    @Inject
    PersonEvents personEvents;
    @Inject
    AuditLog audit;
    @Inject
    SecurityIdentity identity;

    /** {@code total}: every event billing holds of the person; {@code events}: this page of them, oldest first. */
    public record PersonEvidence(String personKey, long total, List<PersonEvents.StoredEvent> events, String nextCursor) {
    }

    @GET
    @RolesAllowed(Roles.OPS)
    @Path("/{personKey}/events")
    @Produces(MediaType.APPLICATION_JSON)
    public PersonEvidence events(@PathParam("personKey") String personKey, @QueryParam("after") String after,
            @QueryParam("limit") Integer limit, @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        Caller caller = Params.caller(identity, purpose);
        int n = Params.limit(limit);
        Instant afterOccurred = null;
        String afterEvent = null;
        if (after != null) {
            int slash = after.indexOf('/');
            try {
                afterOccurred = Instant.parse(after.substring(0, Math.max(slash, 0)));
                afterEvent = after.substring(slash + 1);
            } catch (DateTimeParseException e) {
                throw BillingProblem.badRequest("INVALID_PARAMETER", "after", "after must be the nextCursor of the previous page");
            }
        }
        var page = personEvents.of(personKey, afterOccurred, afterEvent, n);
        audit.record(caller, AuditLog.Action.READ_PERSON_EVENTS, personKey, "person events after=" + after, page.events().size());
        return new PersonEvidence(personKey, page.total(), page.events(), page.nextCursor());
    }
}
