package kz.ehr.certificates.rest;

import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.certificates.audit.AccessAudit;
import kz.ehr.certificates.projection.PersonEvents;
import kz.ehr.events.projection.PersonEventTable;
import kz.ehr.events.projection.PersonEventsResource;
import kz.ehr.security.Caller;

/** What the certificate service knows about a person, the evidence its eligibility rules read: ops, audited. */
@Path("/api/v1/persons")
@Blocking
public class PersonsResource extends PersonEventsResource<Caller> {
    @Inject
    AccessAudit audit;

    public PersonsResource() {
        super(PersonEvents.TABLE);
    }

    @Override
    protected Caller caller(SecurityIdentity identity, String purposeHeader) {
        return Callers.withPurpose(identity, purposeHeader);
    }

    @Override
    protected RuntimeException refuse(String code, String field, String detail) {
        return new WebApplicationException(Problem.of(400, code, "Invalid page", detail, field).response());
    }

    @Override
    protected void audit(Caller caller, String personKey, String after, PersonEventTable.Page page) throws SQLException {
        audit.record(caller, AccessAudit.Action.READ_PERSON_EVENTS, null, personKey);
    }
}
