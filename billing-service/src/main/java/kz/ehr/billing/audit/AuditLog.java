package kz.ehr.billing.audit;

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
 * The append-only trail of every read of personal data and every manual decision: who (from the verified token),
 * when, what, why. The table refuses UPDATE, DELETE and TRUNCATE (V4), so nothing here can rewrite history.
 */
@ApplicationScoped
public class AuditLog {
    /** What was done; stable codes an auditor filters by. */
    public enum Action {
        READ_LINES, EXPORT_LINES_CSV, READ_CHANGES, READ_OUTREACH, EXPORT_OUTREACH_CSV, READ_PERSON_EVENTS, FRAUD_DECISION
    }

    public record Entry(long id, String who, String action, String purpose, String patient, String resource, int rows,
                        String at) {
    }

    public record Filter(String who, String action, String patient, Instant from, Instant to) {
    }

    public record Page(List<Entry> items, String nextCursor) {
    }

    @Inject
    AgroalDataSource dataSource;

    public void record(Caller caller, Action action, String patient, String resource, int rows) {
        try (Connection c = dataSource.getConnection()) {
            record(c, caller, action, patient, resource, rows);
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the audit row for " + action, e);
        }
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

    /** Oldest first, paged by id ({@code after} = the previous page's nextCursor). */
    public Page page(Filter f, String after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder(
                "SELECT id, actor, action, purpose, patient, resource, rows_read, read_at FROM data_access_audit WHERE id > ?");
        List<Object> args = new ArrayList<>();
        args.add(after == null ? 0L : Long.parseLong(after));
        if (f.who() != null) {
            sql.append(" AND actor = ?");
            args.add(f.who());
        }
        if (f.action() != null) {
            sql.append(" AND action = ?");
            args.add(f.action());
        }
        if (f.patient() != null) {
            sql.append(" AND patient = ?");
            args.add(f.patient());
        }
        if (f.from() != null) {
            sql.append(" AND read_at >= ?");
            args.add(Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND read_at < ?");
            args.add(Timestamp.from(f.to()));
        }
        sql.append(" ORDER BY id LIMIT ?");
        args.add(limit + 1);
        List<Entry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getInt(7), rs.getTimestamp(8).toInstant().toString()));
                }
            }
        }
        String next = null;
        if (out.size() > limit) {
            out = out.subList(0, limit);
            next = Long.toString(out.get(limit - 1).id());
        }
        return new Page(out, next);
    }
}
