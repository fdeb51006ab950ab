package kz.ehr.mpi.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import kz.ehr.security.Caller;
import kz.ehr.security.audit.AuditPage;
import kz.ehr.security.audit.AuditQuery;
import kz.ehr.security.audit.AuditTable;

/**
 * Who read or changed which patient, when and why. Rows hold ids and query shapes, never personal data. The table
 * is append-only (a trigger refuses UPDATE, DELETE and TRUNCATE), so this class only inserts and reads.
 * Plain JDBC, not an entity: one INSERT of a row never loaded back as an object (nothing updates it), and the
 * auditors' read is the shared {@link kz.ehr.security.audit.AuditTable} keyset query, one code for four services' tables.
 */
@ApplicationScoped
public class AuditLog implements kz.ehr.events.ops.OpsAudit {
    @Inject
    AgroalDataSource dataSource;

    /** One audit row as the auditor sees it. */
    public record Entry(long id, Instant at, String who, String action, UUID enterpriseId, String purpose, String detail) {
    }

    private static final AuditTable TABLE = new AuditTable("audit_log", "id", "at", "actor", "action", "enterprise_id",
            false, "uuid", List.of("purpose", "detail"));

    public void record(Caller caller, String action, UUID enterpriseId, String detail) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO audit_log (actor, action, enterprise_id, purpose, detail) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, caller.who());
            ps.setString(2, action);
            ps.setObject(3, enterpriseId);
            ps.setString(4, caller.purpose());
            ps.setString(5, detail);
            ps.executeUpdate();
        } catch (SQLException e) {
            // a read that cannot be audited must not be served
            throw new IllegalStateException("audit log unavailable", e);
        }
    }

    /** An ops action of the shared endpoints (dead letters, outbox): no enterprise id, the subject as the detail. */
    @Override
    public void record(String who, String action, String subject, String purpose) {
        record(Caller.named(who, purpose), action, null, subject);
    }

    /** Newest first, with the filters every service's audit API shares; the subject is the enterprise id. */
    public AuditPage<Entry> page(AuditQuery q) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return TABLE.find(c, q, rs -> new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                    rs.getString(4), rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7)), Entry::id);
        }
    }
}
