package kz.ehr.events.projection;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

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

/**
 * What a staff read of a person's stored events ({@code GET /api/v1/persons/{personKey}/events}) does in every service
 * that keeps a {@link PersonEventTable} (certificates, billing), once: check the purpose, read one page, refuse a wrong
 * page parameter with the service's problem, audit the read with what it showed. The service's subclass names the
 * resource ({@code @Path("/api/v1/persons")}); the method and its role are declared here, on the method, where
 * Quarkus applies a method's security annotation to every subclass (a class-level one would not reach inherited
 * methods). The role is {@code Roles.OPS} of service-security, spelt out as the outbox and dead-letter resources here
 * do; each service's {@code AccessControlTests} checks that ops is served and every other role gets 403 (without the
 * annotation the endpoint is denied to everyone).
 *
 * @param <C> the service's caller: who, and why
 */
public abstract class PersonEventsResource<C> {
    private final PersonEventTable table;
    @Inject
    protected DataSource dataSource;
    @Inject
    SecurityIdentity identity;

    protected PersonEventsResource(PersonEventTable table) {
        this.table = table;
    }

    /** One page of the person's stored events, oldest first; {@code after} = the previous page's cursor. */
    @GET
    @RolesAllowed("ops")
    @Path("/{personKey}/events")
    @Produces(MediaType.APPLICATION_JSON)
    public PersonEventTable.Page events(@PathParam("personKey") String personKey, @QueryParam("after") String after,
                                        @QueryParam("limit") Integer limit, @HeaderParam("X-Purpose") String purposeHeader)
            throws SQLException {
        C caller = caller(identity, purposeHeader);
        PersonEventTable.Page page;
        try (Connection c = dataSource.getConnection()) {
            page = table.page(c, personKey, after, limit);
        } catch (PersonEventTable.InvalidPageException e) {
            throw refuse(e.code(), e.field(), e.getMessage());
        }
        audit(caller, personKey, after, page);
        return page;
    }

    /** The caller with their stated purpose, or the service's PURPOSE_REQUIRED problem thrown. */
    protected abstract C caller(SecurityIdentity identity, String purposeHeader);

    /** The service's 400 problem for a page parameter the caller got wrong. */
    protected abstract RuntimeException refuse(String code, String field, String detail);

    /** The service's audit row of this read. */
    protected abstract void audit(C caller, String personKey, String after, PersonEventTable.Page page) throws SQLException;
}
