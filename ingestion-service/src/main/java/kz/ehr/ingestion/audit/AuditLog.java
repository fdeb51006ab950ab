package kz.ehr.ingestion.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import kz.ehr.security.audit.AuditPage;
import kz.ehr.security.audit.AuditQuery;
import kz.ehr.security.audit.AuditTable;

/**
 * Who read rejected originals (they hold patients' data) and who issued or revoked provider keys, when and why.
 * Append-only: the database refuses UPDATE, DELETE and TRUNCATE of {@code audit_log} (V3); the API only reads it.
 * Plain JDBC, not an entity: one INSERT of a row never loaded back as an object (nothing updates it), and the
 * auditors' read is the shared {@link kz.ehr.security.audit.AuditTable} keyset query, one code for four services' tables.
 */
@ApplicationScoped
public class AuditLog implements kz.ehr.events.ops.OpsAudit {
    public enum Action {
        READ_REJECTIONS, ISSUE_KEY, REVOKE_KEY, READ_AUDIT,
        /** The shared ops endpoints' actions (kz.ehr.events.ops.OpsAudit). */
        READ_DEAD_LETTER, REPLAY_DEAD_LETTERS, REQUEUE_OUTBOX_ROW
    }

    public record Entry(long id, Instant at, String who, String action, String subject, String purpose) {
    }

    /** {@code subject} is a provider id, or provider/keyId for key actions: asking for a provider finds both. */
    private static final AuditTable TABLE = new AuditTable("audit_log", "id", "at", "actor", "action", "subject", true,
            List.of("reason"));

    @Inject
    AgroalDataSource dataSource;

    public void record(String who, Action action, String subject, String purpose) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (actor, action, subject, reason) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, who);
            ps.setString(2, action.name());
            ps.setString(3, subject);
            ps.setString(4, purpose);
            ps.executeUpdate();
        }
    }

    /** An ops action of the shared endpoints (dead letters, outbox). */
    @Override
    public void record(String who, String action, String subject, String purpose) throws SQLException {
        record(who, Action.valueOf(action), subject, kz.ehr.security.Purpose.of(purpose));
    }

    /** Newest first, with the filters every service's audit API shares. */
    public AuditPage<Entry> find(AuditQuery q) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return TABLE.find(c, q, rs -> new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                    rs.getString(4), rs.getString(5), rs.getString(6)), Entry::id);
        }
    }
}
