package kz.ehr.billing.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Path;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.billing.BillingProblem;
import kz.ehr.billing.audit.AuditLog;
import kz.ehr.billing.projection.PersonEvents;
import kz.ehr.events.projection.PersonEventTable;
import kz.ehr.events.projection.PersonEventsResource;
import kz.ehr.security.Caller;

/** What billing knows about a person: the facts capitation and the fraud monitor read. Ops only, with a purpose, audited. */
@Path("/api/v1/persons")
@Blocking
public class PersonsResource extends PersonEventsResource<Caller> {
    @Inject
    AuditLog audit;

    public PersonsResource() {
        super(PersonEvents.TABLE);
    }

    @Override
    protected Caller caller(SecurityIdentity identity, String purposeHeader) {
        return Params.caller(identity, purposeHeader);
    }

    @Override
    protected RuntimeException refuse(String code, String field, String detail) {
        return BillingProblem.badRequest(code, field, detail);
    }

    @Override
    protected void audit(Caller caller, String personKey, String after, PersonEventTable.Page page) {
        audit.record(caller, AuditLog.Action.READ_PERSON_EVENTS, personKey, "person events after=" + after, page.events().size());
    }
}
