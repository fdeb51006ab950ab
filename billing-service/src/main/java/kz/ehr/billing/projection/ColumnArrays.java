package kz.ehr.billing.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import kz.ehr.events.db.PgArrays;

/**
 * A batch's rows of one table as column arrays, for one {@code INSERT … SELECT FROM unnest(…)}: the server plans and
 * runs one statement per batch, where a JDBC batch executed the upsert once per row (BillingStreamBench, "Billing
 * statement budget" in docs/benchmarks/billing-service.md). Rows are keyed: an upsert cannot touch a row twice, so a
 * record resubmitted within the batch is folded first (the higher version, on a tie the later), as sequential
 * versioned upserts would leave it.
 */
final class ColumnArrays {
    private record Row(int version, Object[] values) {
    }

    private final String[] types;
    private final Map<String, Row> rows = new LinkedHashMap<>();

    /** {@code types}: each column's array element type as bound ({@code text}, {@code bool}, {@code int4}); the SQL casts text to dates and times. */
    ColumnArrays(String... types) {
        this.types = types;
    }

    /** A row of {@code key} at {@code version}; dates and instants go as their ISO text. */
    void put(String key, int version, Object... values) {
        rows.merge(key, new Row(version, values), (older, newer) -> newer.version() >= older.version() ? newer : older);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Binds the columns as parameters 1…n, in the order the rows were first put. */
    void bind(Connection c, PreparedStatement ps) throws SQLException {
        int n = rows.size();
        for (int col = 0; col < types.length; col++) {
            Object[] column = new Object[n];
            int i = 0;
            for (Row r : rows.values()) {
                column[i++] = r.values()[col];
            }
            ps.setArray(col + 1, PgArrays.of(c, types[col], column));
        }
    }

    /** Binds the rows and runs {@code sql} once, if there are any. */
    void execute(Connection c, String sql) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps);
            ps.executeUpdate();
        }
    }
}
