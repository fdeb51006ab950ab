package kz.ehr.security.audit;

import java.sql.SQLException;

import jakarta.inject.Inject;

import io.quarkus.security.identity.SecurityIdentity;
import kz.ehr.security.Caller;

/**
 * What every service's auditor endpoint ({@code GET /api/v1/audit}, GET only, so PUT/PATCH/DELETE answer 405) does,
 * once: parse the filters, refuse a wrong one with the service's own problem answer, read the service's append-only
 * table newest first, and audit the read itself. A service's resource keeps its path, role, subject parameter and
 * the row it writes.
 */
public abstract class AuditTrailResource<E> {
    @Inject
    protected SecurityIdentity identity;

    /** The auditor's page for these filters and this subject (the service's subject parameter). */
    protected AuditPage<E> read(AuditParams params, String subject) throws SQLException {
        AuditQuery query;
        try {
            query = params.query(subject);
        } catch (AuditQuery.InvalidParameter e) {
            throw refuse("INVALID_PARAMETER", e.field(), e.getMessage());
        }
        check(query);
        AuditPage<E> page = find(query);
        // reading who looked at whom is itself worth knowing
        recordRead(Caller.of(identity, params.purpose), query, page);
        return page;
    }

    /** The service's 400 problem for a filter the auditor got wrong. */
    protected abstract RuntimeException refuse(String code, String field, String detail);

    /** A service's further checks of the filters (e.g. that the action is one it knows); none by default. */
    protected void check(AuditQuery query) {
    }

    /** The page from the service's audit table. */
    protected abstract AuditPage<E> find(AuditQuery query) throws SQLException;

    /** The service's audit row of this read. */
    protected abstract void recordRead(Caller caller, AuditQuery query, AuditPage<E> page) throws SQLException;
}
