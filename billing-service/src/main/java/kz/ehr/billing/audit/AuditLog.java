package kz.ehr.billing.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import kz.ehr.security.Caller;
import kz.ehr.security.audit.AuditPage;
import kz.ehr.security.audit.AuditQuery;
import kz.ehr.security.audit.AuditTable;

/**
 * The append-only trail of every read of personal data and every manual decision: who (from the verified token),
 * when, what, why. The table refuses UPDATE, DELETE and TRUNCATE (V4), so nothing here can rewrite history.
 * Plain JDBC, not an entity: one INSERT of a row never loaded back as an object (nothing updates it), and the
 * auditors' read is the shared {@link kz.ehr.security.audit.AuditTable} keyset query, one code for four services' tables.
 */
@ApplicationScoped
public class AuditLog implements kz.ehr.events.ops.OpsAudit {
    /** What was done; stable codes an auditor filters by. */
    public enum Action {
        READ_LINES, EXPORT_LINES_CSV, READ_CHANGES, READ_OUTREACH, EXPORT_OUTREACH_CSV, READ_PERSON_EVENTS, FRAUD_DECISION,
        READ_AUDIT,
        /** The shared ops endpoints' actions (kz.ehr.events.ops.OpsAudit). */
        READ_DEAD_LETTER, REPLAY_DEAD_LETTERS, REQUEUE_OUTBOX_ROW
    }

    public record Entry(long id, String at, String who, String action, String patient, String purpose, String resource,
                        int rows) {
    }

    /** The shared auditor's query (kz.ehr.security.audit) over billing's table; the subject is the patient. */
    private static final AuditTable TABLE = new AuditTable("data_access_audit", "id", "read_at", "actor", "action", "patient",
            false, List.of("purpose", "resource", "rows_read"));

    @Inject
    AgroalDataSource dataSource;

    public void record(Caller caller, Action action, String patient, String resource, int rows) {
        try (Connection c = dataSource.getConnection()) {
            record(c, caller, action, patient, resource, rows);
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the audit row for " + action, e);
        }
    }

    /** An ops action of the shared endpoints (dead letters, outbox): no patient, the subject as the resource. */
    @Override
    public void record(String who, String action, String subject, String purpose) {
        record(Caller.named(who, purpose), Action.valueOf(action), null, subject, 0);
    }

    /** On the caller's connection, so the row commits with the read or decision it describes. */
    public static void record(Connection c, Caller caller, Action action, String patient, String resource, int rows)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO data_access_audit (actor, purpose, action, patient, resource, rows_read) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, caller.who());
            ps.setString(2, caller.purpose() == null ? "" : caller.purpose());
            ps.setString(3, action.name());
            ps.setString(4, patient);
            ps.setString(5, resource);
            ps.setInt(6, rows);
            ps.executeUpdate();
        }
    }

    /** Newest first, with the filters and paging every service's audit API shares. */
    public AuditPage<Entry> find(AuditQuery q) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return TABLE.find(c, q, rs -> new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant().toString(), rs.getString(3),
                    rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8)), Entry::id);
        }
    }
}
