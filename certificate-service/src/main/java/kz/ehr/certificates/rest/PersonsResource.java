package kz.ehr.certificates.rest;

import java.sql.SQLException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.certificates.audit.AccessAudit;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.certificates.projection.PersonEvents;

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

    public record PersonEvidence(String personKey, List<PersonEvents.StoredEvent> events) {
    }

    @GET
    @RolesAllowed(Roles.OPS)
    @Path("/{personKey}/events")
    @Produces(MediaType.APPLICATION_JSON)
    public PersonEvidence events(@PathParam("personKey") String personKey, @HeaderParam(Caller.PURPOSE_HEADER) String purpose)
            throws SQLException {
        audit.record(Callers.withPurpose(identity, purpose), AccessAudit.Action.READ_PERSON_EVENTS, null, personKey);
        return new PersonEvidence(personKey, personEvents.of(personKey));
    }
}
