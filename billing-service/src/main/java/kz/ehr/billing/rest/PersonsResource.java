package kz.ehr.billing.rest;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import kz.ehr.events.projection.PersonEventsResource;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/** What billing knows about a person: the facts capitation and the fraud monitor read. Ops only, with a purpose, audited. */
@Path("/api/v1/persons")
@Blocking
public class PersonsResource extends PersonEventsResource<Caller> {
    @Inject
    AuditLog audit;
    @Inject
    SecurityIdentity identity;

    public PersonsResource() {
        super(PersonEvents.TABLE);
    }

    @GET
    @RolesAllowed(Roles.OPS)
    @Path("/{personKey}/events")
    @Produces(MediaType.APPLICATION_JSON)
    public PersonEventTable.Page events(@PathParam("personKey") String personKey, @QueryParam("after") String after,
            @QueryParam("limit") Integer limit, @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        return read(personKey, after, limit, purpose);
    }

    @Override
    protected Caller caller(String purposeHeader) {
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
