package kz.ehr.billing.projection;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Null-safe parameter setters for batched statements.
 * For the projection's batched SQL, the hot path BillingStreamBench measures.
 */
public final class Jdbc {
    private Jdbc() {
    }

    public static void date(PreparedStatement ps, int i, LocalDate d) throws SQLException {
        if (d == null) {
            ps.setNull(i, Types.DATE);
        } else {
            ps.setDate(i, Date.valueOf(d));
        }
    }

    public static void instant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setTimestamp(i, Timestamp.from(t));
        }
    }

    @FunctionalInterface
    public interface SqlStep {
        void run() throws SQLException;
    }

    /**
     * Runs {@code step} inside a savepoint of the caller's transaction. True if it succeeded; false if it failed on a unique
     * key (SQLSTATE 23505), in which case everything it did is rolled back and the transaction goes on as before it. Any
     * other failure is thrown.
     */
    public static boolean tryInSavepoint(java.sql.Connection c, String name, SqlStep step) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("SAVEPOINT " + name);
            try {
                step.run();
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
                st.execute("ROLLBACK TO SAVEPOINT " + name);
                st.execute("RELEASE SAVEPOINT " + name);
                return false;
            }
            st.execute("RELEASE SAVEPOINT " + name);
            return true;
        }
    }

    /** Straight to LocalDate: the driver's java.sql.Date path goes through a Calendar, which a 1M-row run feels. */
    public static LocalDate date(java.sql.ResultSet rs, int i) throws SQLException {
        return rs.getObject(i, LocalDate.class);
    }

    public static Instant instant(java.sql.ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant();
    }
}
