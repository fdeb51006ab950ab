package kz.ehr.certificates.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import kz.ehr.security.Caller;
import kz.ehr.security.audit.AuditPage;
import kz.ehr.security.audit.AuditQuery;
import kz.ehr.security.audit.AuditTable;

/**
 * The append-only record of who read a person's certificate data or changed something by hand, when and why. The
 * database refuses UPDATE, DELETE and TRUNCATE of {@code access_audit} (V3); the API only reads it.
 * Plain JDBC, not an entity: one INSERT of a row never loaded back as an object (nothing updates it), and the
 * auditors' read is the shared {@link kz.ehr.security.audit.AuditTable} keyset query, one code for four services' tables.
 */
@ApplicationScoped
public class AccessAudit implements kz.ehr.events.ops.OpsAudit {
    /** What an audit row says was done. */
    public enum Action {
        ISSUE, ISSUE_REFUSED, READ, READ_QR, READ_PDF, READ_REVOCATION, READ_PERSON_EVENTS, KEY_ROTATION, KEY_WITHDRAWAL, READ_AUDIT,
        /** A person revoked a certificate (POST …/revocation), or asked again for one already revoked. */
        REVOKE,
        /** The shared ops endpoints' actions (kz.ehr.events.ops.OpsAudit). */
        READ_DEAD_LETTER, REPLAY_DEAD_LETTERS, REQUEUE_OUTBOX_ROW
    }

    public record Entry(long id, Instant at, String who, String action, String certificateNumber, String iin, String purpose) {
    }

    private static final AuditTable TABLE = new AuditTable("access_audit", "id", "at", "actor", "action", "iin", false,
            List.of("certificate_number", "purpose"));

    @Inject
    AgroalDataSource dataSource;

    public void record(Caller caller, Action action, String certificateNumber, String iin) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO access_audit (actor, action, certificate_number, iin, purpose) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, caller.who());
            ps.setString(2, action.name());
            ps.setString(3, certificateNumber);
            ps.setString(4, iin);
            ps.setString(5, caller.purpose());
            ps.executeUpdate();
        }
    }

    /** An ops action of the shared endpoints (dead letters, outbox): the subject where key actions put the key. */
    @Override
    public void record(String who, String action, String subject, String purpose) throws SQLException {
        record(Caller.named(who, purpose), Action.valueOf(action), subject, null);
    }

    /** Newest first, with the filters every service's audit API shares; the subject is the person's IIN. */
    public AuditPage<Entry> find(AuditQuery q) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return TABLE.find(c, q, rs -> new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                    rs.getString(4), rs.getString(6), rs.getString(5), rs.getString(7)), Entry::id);
        }
    }
}
