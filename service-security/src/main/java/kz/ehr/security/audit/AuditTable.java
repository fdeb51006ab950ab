package kz.ehr.security.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * One service's append-only audit table as the auditor's query sees it: which columns hold the id, time, actor,
 * action and subject, and which further columns the service shows. Each service keeps its own table (and the
 * trigger that refuses UPDATE/DELETE/TRUNCATE); the filters, ordering and paging are the same everywhere.
 *
 * @param subjectHasChildren a subject {@code p} also matches rows about {@code p/…} (e.g. a provider's keys)
 * @param subjectSqlType     the subject column's type when it is not text (e.g. {@code uuid}), or null
 */
public record AuditTable(String name, String idColumn, String atColumn, String whoColumn, String actionColumn,
                         String subjectColumn, boolean subjectHasChildren, String subjectSqlType, List<String> otherColumns) {

    /** A table whose subject column is text. */
    public AuditTable(String name, String idColumn, String atColumn, String whoColumn, String actionColumn,
                      String subjectColumn, boolean subjectHasChildren, List<String> otherColumns) {
        this(name, idColumn, atColumn, whoColumn, actionColumn, subjectColumn, subjectHasChildren, null, otherColumns);
    }

    /** Maps one row; the selected columns are id, at, who, action, subject, then {@link #otherColumns()} in order. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    public <T> AuditPage<T> find(Connection c, AuditQuery q, RowMapper<T> mapper, java.util.function.ToLongFunction<T> idOf)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", idColumn, atColumn, whoColumn,
                actionColumn, subjectColumn));
        for (String other : otherColumns) {
            sql.append(", ").append(other);
        }
        sql.append(" FROM ").append(name).append(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (q.who() != null) {
            sql.append(" AND ").append(whoColumn).append(" = ?");
            args.add(q.who());
        }
        if (q.action() != null) {
            sql.append(" AND ").append(actionColumn).append(" = ?");
            args.add(q.action());
        }
        if (q.subject() != null) {
            if (subjectHasChildren) {
                sql.append(" AND (").append(subjectColumn).append(" = ? OR ").append(subjectColumn).append(" LIKE ?)");
                args.add(q.subject());
                args.add(q.subject().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%");
            } else {
                sql.append(" AND ").append(subjectColumn).append(subjectSqlType == null ? " = ?" : " = CAST(? AS " + subjectSqlType + ")");
                args.add(q.subject());
            }
        }
        if (q.from() != null) {
            sql.append(" AND ").append(atColumn).append(" >= ?");
            args.add(Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND ").append(atColumn).append(" < ?");
            args.add(Timestamp.from(q.to()));
        }
        if (q.before() != null) {
            sql.append(" AND ").append(idColumn).append(" < ?");
            args.add(q.before());
        }
        sql.append(" ORDER BY ").append(idColumn).append(" DESC LIMIT ?");
        args.add(q.limit());
        List<T> items = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(mapper.map(rs));
                }
            }
        }
        return AuditPage.of(items, q.limit(), idOf);
    }
}
