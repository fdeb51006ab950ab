package kz.ehr.certificates.rest;

import java.sql.SQLException;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.certificates.projection.PersonEvents;

/** What the certificate service knows about a person: the evidence its eligibility rules read. */
@Path("/api/v1/persons")
@Blocking
public class PersonsResource {
    @Inject
    PersonEvents personEvents;

    public record PersonEvidence(String personKey, List<PersonEvents.StoredEvent> events) {
    }

    @GET
    @Path("/{personKey}/events")
    @Produces(MediaType.APPLICATION_JSON)
    public PersonEvidence events(@PathParam("personKey") String personKey) throws SQLException {
        return new PersonEvidence(personKey, personEvents.of(personKey));
    }
}
