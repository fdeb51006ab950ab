package kz.ehr.ingestion.audit;

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

/**
 * Who read rejected originals (they hold patients' data) and who issued or revoked provider keys, when and why.
 * Append-only: the database refuses UPDATE, DELETE and TRUNCATE of {@code audit_log} (V3); the API only reads it.
 */
@ApplicationScoped
public class AuditLog {
    public enum Action { READ_REJECTIONS, ISSUE_KEY, REVOKE_KEY, READ_AUDIT }

    public record Entry(long id, Instant at, String who, String action, String subject, String purpose) {
    }

    /** Filters; null means any. {@code subject} is a provider id, or provider/keyId for key actions. */
    public record Query(String who, String action, String subject, Instant from, Instant to, Long before, int limit) {
    }

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

    /** Newest first. */
    public List<Entry> find(Query q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, action, subject, reason FROM audit_log WHERE true");
        List<Object> args = new ArrayList<>();
        if (q.who() != null) {
            sql.append(" AND actor = ?");
            args.add(q.who());
        }
        if (q.action() != null) {
            sql.append(" AND action = ?");
            args.add(q.action());
        }
        if (q.subject() != null) {
            sql.append(" AND (subject = ? OR subject LIKE ?)");
            args.add(q.subject());
            args.add(q.subject().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%");
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
                            rs.getString(5), rs.getString(6)));
                }
            }
        }
        return out;
    }
}
