package kz.ehr.events.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/**
 * Keeps the planner's statistics of a service's own tables fresh when the server's autovacuum is off, with
 * autovacuum's own thresholds: ANALYZE a table once more than {@code 50 + 10 %} of its rows changed since the last
 * analyse, VACUUM (ANALYZE) it once more than {@code 50 + 20 %} are dead. The schedule looks often but acts on a
 * table at most once per {@code minInterval} ({@link #runOnce(Duration)}), unless the table has more than doubled
 * since its statistics were taken: a table growing from empty under load is analysed as it grows, not a minute late.
 * <p>
 * Why: this machine image's PostgreSQL ships with {@code autovacuum = off}. In the 1,000,000-record pipeline run,
 * billing's never-analysed, bloated {@code visit} table made its re-attribution statement take 7–18 s and billing fell
 * to ~500 records/s; after one VACUUM (ANALYZE) it did ~8,000 records/s (docs/benchmarks/billing-service.md,
 * "Autovacuum"). A service must not depend on a server setting for its query plans. With autovacuum on, this does nothing.
 * A large table is analysed from a smaller sample than the server's default ({@link #LARGE_TABLE_TARGET}).
 * Plain JDBC: it reads the server's statistics views and runs ANALYZE and VACUUM; nothing entity-shaped.
 */
public final class TableUpkeep {
    private static final Logger LOG = Logger.getLogger(TableUpkeep.class);
    static final long BASE_THRESHOLD = 50;
    static final double ANALYZE_FRACTION = 0.1;
    static final double VACUUM_FRACTION = 0.2;
    /**
     * The statistics target for a table of more than {@link #WHOLE_TABLE_ROWS} rows: ANALYZE reads a sample of
     * 300 × target rows, 9,000 instead of the server default's 30,000. A growing table is analysed at every pass,
     * and at the default that sample was about 3 % of a 1,000,000-record pipeline run's CPU
     * (docs/benchmarks/pipeline.md, "An AMD EPYC VM"). Per-column targets a migration set (0 for columns no query
     * reads) are kept.
     */
    static final int LARGE_TABLE_TARGET = 30;
    /** Up to 300 × 100 rows the server's default target reads the whole table: a table that small keeps it. */
    static final long WHOLE_TABLE_ROWS = 30_000;

    /**
     * A table with more changes since its statistics than rows in them (it has more than doubled) is analysed at the
     * next look, however recent those statistics. In the first minutes of a platform the tables grow by ten times
     * and more between two 60 s passes, and statistics from a table a tenth the size put ten times too many rows on
     * a key: the services' batch reads joined the whole table by hash instead of probing its index (certificates and
     * the patient index read 7–11 million rows that way in a 1,000,000-record pipeline run, 1.6–1.7 million since;
     * docs/benchmarks/pipeline.md, "Levers left").
     */
    static final double GROWN_FRACTION = 1.0;

    /** What to do with one table. */
    public enum Action { NONE, ANALYZE, VACUUM_ANALYZE }

    /**
     * One row of {@code pg_stat_user_tables} joined with {@code pg_class.reltuples}; {@code secondsSinceAnalyze} by the
     * server's clock, null if the table was never analysed.
     */
    public record TableState(String schema, String table, double rows, long modifiedSinceAnalyze, long dead,
                             Double secondsSinceAnalyze) {
        /** A table whose last analysis is not known (never analysed). */
        public TableState(String schema, String table, double rows, long modifiedSinceAnalyze, long dead) {
            this(schema, table, rows, modifiedSinceAnalyze, dead, null);
        }

        /**
         * {@link #due()}, unless the table was analysed less than {@code minInterval} ago and has not more than
         * doubled since ({@link #GROWN_FRACTION}).
         */
        public Action due(Duration minInterval) {
            boolean recent = secondsSinceAnalyze != null && secondsSinceAnalyze * 1000 < minInterval.toMillis();
            boolean grown = modifiedSinceAnalyze > BASE_THRESHOLD + GROWN_FRACTION * Math.max(rows, 0);
            return recent && !grown ? Action.NONE : due();
        }

        /** Autovacuum's rule alone. */
        public Action due() {
            double base = Math.max(rows, 0);
            if (dead > BASE_THRESHOLD + VACUUM_FRACTION * base) {
                return Action.VACUUM_ANALYZE;
            }
            if (modifiedSinceAnalyze > BASE_THRESHOLD + ANALYZE_FRACTION * base) {
                return Action.ANALYZE;
            }
            return Action.NONE;
        }

        /**
         * The statistics target to analyse this table with: null for the server's default. By the rows the last
         * ANALYZE counted, as {@link #due} goes by: a table's first analysis is at the default.
         */
        public Integer statisticsTarget() {
            return rows > WHOLE_TABLE_ROWS ? LARGE_TABLE_TARGET : null;
        }

        String qualifiedName() {
            return quote(schema) + "." + quote(table);
        }
    }

    /** Opens a connection as a role that owns the tables (only an owner may VACUUM or ANALYZE). */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    private final Connections connections;

    public TableUpkeep(Connections connections) {
        this.connections = connections;
    }

    /** On connections of {@code owner}, whose user owns the tables. */
    public TableUpkeep(DataSource owner) {
        this(owner::getConnection);
    }

    /** Runs the actions due by autovacuum's rule ({@link TableState#due()}); returns what was done. */
    public List<String> runOnce() throws SQLException {
        return runOnce(Duration.ZERO);
    }

    /**
     * Runs the due actions, none on a table analysed less than {@code minInterval} ago unless it has more than doubled
     * since ({@link TableState#due(Duration)}); returns what was done. Does nothing while the server's autovacuum is on.
     */
    public List<String> runOnce(Duration minInterval) throws SQLException {
        List<String> done = new ArrayList<>();
        try (Connection c = connections.open()) {
            c.setAutoCommit(true); // VACUUM cannot run inside a transaction block
            if (autovacuumOn(c)) {
                return done;
            }
            for (TableState table : tables(c)) {
                Action action = table.due(minInterval);
                if (action == Action.NONE) {
                    continue;
                }
                String sql = (action == Action.VACUUM_ANALYZE ? "VACUUM (ANALYZE) " : "ANALYZE ") + table.qualifiedName();
                long started = System.nanoTime();
                Integer target = table.statisticsTarget();
                try (Statement s = c.createStatement()) {
                    s.execute(target == null ? "RESET default_statistics_target"
                            : "SET default_statistics_target = " + target);
                    s.execute(sql);
                }
                LOG.debugf("%s in %d ms (%,.0f rows, %d changed, %d dead)", sql, (System.nanoTime() - started) / 1_000_000,
                        table.rows(), table.modifiedSinceAnalyze(), table.dead());
                done.add(sql);
            }
        }
        return done;
    }

    static boolean autovacuumOn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('autovacuum')")) {
            rs.next();
            return "on".equals(rs.getString(1));
        }
    }

    /** The tables this connection's role owns, so the service never tries what it may not do. */
    static List<TableState> tables(Connection c) throws SQLException {
        List<TableState> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT t.schemaname, t.relname, c.reltuples, t.n_mod_since_analyze, t.n_dead_tup,
                       EXTRACT(EPOCH FROM now() - GREATEST(t.last_analyze, t.last_autoanalyze))::float8
                  FROM pg_stat_user_tables t JOIN pg_class c ON c.oid = t.relid
                 WHERE pg_has_role(c.relowner, 'USAGE')
                 ORDER BY t.relname""")) {
            while (rs.next()) {
                double since = rs.getDouble(6);
                tables.add(new TableState(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5),
                        rs.wasNull() ? null : since));
            }
        }
        return tables;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
