package kz.ehr.events.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Transaction-scoped PostgreSQL advisory locks on names (e.g. {@code "certificates person 850315300019"}), released
 * when the transaction ends. For a set that row locks cannot hold: rows not yet written, or a set that can grow.
 */
public final class AdvisoryLocks {
    private AdvisoryLocks() {
    }

    /**
     * Takes the locks on these names in one statement, in the order of their lock keys: two transactions that lock some
     * of the same names in one call each wait for each other and cannot deadlock on them.
     */
    public static void lock(Connection c, Collection<String> names) throws SQLException {
        if (names.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT count(pg_advisory_xact_lock(k)) FROM
                  (SELECT DISTINCT hashtextextended(n, 0) k FROM unnest(?::text[]) n ORDER BY k) s""")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            ps.executeQuery().close();
        }
    }
}
