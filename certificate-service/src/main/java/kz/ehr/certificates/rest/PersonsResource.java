package kz.ehr.certificates.rest;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.certificates.audit.AccessAudit;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.certificates.projection.PersonEvents;
import kz.ehr.events.projection.PersonEventTable;

/** What the certificate service knows about a person, the evidence its eligibility rules read: ops, audited. */
@Path("/api/v1/persons")
@Blocking
public class PersonsResource {
    @Inject
    PersonEvents personEvents;
    @Inject
    AccessAudit audit;
    @Inject
    SecurityIdentity identity;

    @GET
    @RolesAllowed(Roles.OPS)
    @Path("/{personKey}/events")
    @Produces(MediaType.APPLICATION_JSON)
    public PersonEventTable.Page events(@PathParam("personKey") String personKey, @QueryParam("after") String after,
                                 @QueryParam("limit") Integer limit, @HeaderParam(Caller.PURPOSE_HEADER) String purpose)
            throws SQLException {
        Caller caller = Callers.withPurpose(identity, purpose);
        PersonEventTable.Page page;
        try {
            page = personEvents.of(personKey, after, limit);
        } catch (PersonEventTable.InvalidPageException e) {
            Problem p = Problem.of(400, e.code(), "Invalid page", e.getMessage(), e.field());
            throw new WebApplicationException(Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build());
        }
        audit.record(caller, AccessAudit.Action.READ_PERSON_EVENTS, null, personKey);
        return page;
    }
}
