package kz.ehr.billing.rest;

import java.sql.SQLException;

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
import kz.ehr.events.projection.PersonEventTable;
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

    @GET
    @RolesAllowed(Roles.OPS)
    @Path("/{personKey}/events")
    @Produces(MediaType.APPLICATION_JSON)
    public PersonEventTable.Page events(@PathParam("personKey") String personKey, @QueryParam("after") String after,
            @QueryParam("limit") Integer limit, @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        Caller caller = Params.caller(identity, purpose);
        PersonEventTable.Page page;
        try {
            page = personEvents.of(personKey, after, limit);
        } catch (PersonEventTable.InvalidPageException e) {
            throw BillingProblem.badRequest(e.code(), e.field(), e.getMessage());
        }
        audit.record(caller, AuditLog.Action.READ_PERSON_EVENTS, personKey, "person events after=" + after, page.events().size());
        return page;
    }
}
