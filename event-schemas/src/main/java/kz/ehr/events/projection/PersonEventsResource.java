package kz.ehr.events.projection;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.inject.Inject;

/**
 * What a staff read of a person's stored events ({@code GET /api/v1/persons/{personKey}/events}) does in every service
 * that keeps a {@link PersonEventTable} (certificates, billing), once: check the purpose, read one page, refuse a wrong
 * page parameter with the service's problem, audit the read with what it showed. The resource method itself (path,
 * role) stays in the service, where its endpoint checks see it.
 *
 * @param <C> the service's caller: who, and why
 */
public abstract class PersonEventsResource<C> {
    private final PersonEventTable table;
    @Inject
    protected DataSource dataSource;

    protected PersonEventsResource(PersonEventTable table) {
        this.table = table;
    }

    protected PersonEventTable.Page read(String personKey, String after, Integer limit, String purposeHeader)
            throws SQLException {
        C caller = caller(purposeHeader);
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
    protected abstract C caller(String purposeHeader);

    /** The service's 400 problem for a page parameter the caller got wrong. */
    protected abstract RuntimeException refuse(String code, String field, String detail);

    /** The service's audit row of this read. */
    protected abstract void audit(C caller, String personKey, String after, PersonEventTable.Page page) throws SQLException;
}
