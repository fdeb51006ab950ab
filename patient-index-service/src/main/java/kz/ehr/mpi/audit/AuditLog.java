package kz.ehr.mpi.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import kz.ehr.security.Caller;

/**
 * Who read or changed which patient, when and why. Rows hold ids and query shapes, never personal data. The table
 * is append-only (a trigger refuses UPDATE, DELETE and TRUNCATE), so this class only inserts and reads.
 */
@ApplicationScoped
public class AuditLog {
    @Inject
    AgroalDataSource dataSource;

    /** One audit row as the auditor sees it. */
    public record Entry(long id, Instant at, String who, String action, UUID enterpriseId, String purpose, String detail) {
    }

    /** A page of entries, newest first; {@code nextCursor} continues below the last one. */
    public record Page(List<Entry> entries, String nextCursor) {
    }

    /** The auditor's filters; null means "any". */
    public record Filter(String who, String action, UUID enterpriseId, Instant from, Instant to) {
    }

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

    /** Entries matching every given filter, newest first, at most {@code limit}, below {@code beforeId} if given. */
    public Page page(Filter f, Long beforeId, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder(
                "SELECT id, at, actor, action, enterprise_id, purpose, detail FROM audit_log WHERE true");
        List<Object> args = new ArrayList<>();
        if (f.who() != null) {
            sql.append(" AND actor = ?");
            args.add(f.who());
        }
        if (f.action() != null) {
            sql.append(" AND action = ?");
            args.add(f.action());
        }
        if (f.enterpriseId() != null) {
            sql.append(" AND enterprise_id = ?");
            args.add(f.enterpriseId());
        }
        if (f.from() != null) {
            sql.append(" AND at >= ?");
            args.add(Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND at < ?");
            args.add(Timestamp.from(f.to()));
        }
        if (beforeId != null) {
            sql.append(" AND id < ?");
            args.add(beforeId);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit + 1);
        List<Entry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7)));
                }
            }
        }
        String next = null;
        if (entries.size() > limit) {
            entries = new ArrayList<>(entries.subList(0, limit));
            next = Long.toString(entries.get(limit - 1).id());
        }
        return new Page(entries, next);
    }
}
