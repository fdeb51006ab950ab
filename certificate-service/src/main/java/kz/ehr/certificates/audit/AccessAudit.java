package kz.ehr.certificates.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import kz.ehr.security.Caller;

/**
 * The append-only record of who read a person's certificate data or changed something by hand, when and why. The
 * database refuses UPDATE, DELETE and TRUNCATE of {@code access_audit} (V3); the API only reads it.
 */
@ApplicationScoped
public class AccessAudit {
    /** What an audit row says was done. */
    public enum Action {
        ISSUE, ISSUE_REFUSED, READ, READ_QR, READ_PDF, READ_PERSON_EVENTS, KEY_ROTATION, READ_AUDIT
    }

    public record Entry(long id, Instant at, String who, String action, String certificateNumber, String iin, String purpose) {
    }

    /** Filters of an audit read; null means any. {@code before} is the cursor: rows with a smaller id. */
    public record Query(String who, String action, String iin, Instant from, Instant to, Long before, int limit) {
    }

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

    /** Newest first. */
    public List<Entry> find(Query q) throws SQLException {
        StringBuilder sql = new StringBuilder(
                "SELECT id, at, actor, action, certificate_number, iin, purpose FROM access_audit WHERE true");
        List<Object> args = new ArrayList<>();
        if (q.who() != null) {
            sql.append(" AND actor = ?");
            args.add(q.who());
        }
        if (q.action() != null) {
            sql.append(" AND action = ?");
            args.add(q.action());
        }
        if (q.iin() != null) {
            sql.append(" AND iin = ?");
            args.add(q.iin());
        }
        if (q.from() != null) {
            sql.append(" AND at >= ?");
            args.add(Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND at < ?");
            args.add(Timestamp.from(q.to()));
        }
        if (q.before() != null) {
            sql.append(" AND id < ?");
            args.add(q.before());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit());
        List<Entry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out;
    }
}
