package kz.ehr.billing.capitation.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * The partitions of {@code capitation_line}: one per (month, version), named
 * {@code capitation_line_<yyyy_MM>_v<version>_x<nonce>}. A run loads a new, detached one (nobody reads it), indexes it
 * once, and swaps it in within the run's transaction. Called under the month's advisory lock, so no other run of
 * the month is loading a table at the same time.
 */
final class LineTables {
    private final Connection c;
    private final String month;
    private final int version;
    private final String name;

    LineTables(Connection c, YearMonth month, int version) {
        this.c = c;
        this.month = month.toString();
        this.version = version;
        this.name = prefix(month) + version + "_x" + Long.toString(System.currentTimeMillis(), 36);
    }

    String name() {
        return name;
    }

    private static String prefix(YearMonth month) {
        return "capitation_line_" + month.toString().replace('-', '_') + "_v";
    }

    /** Tables of this month that a crashed run loaded but never attached: invisible, and now garbage. */
    void dropLeftovers() throws SQLException {
        List<String> leftovers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT t.relname FROM pg_class t
                WHERE t.relkind = 'r' AND t.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = 'capitation_line'::regclass)
                  AND starts_with(t.relname, ?) AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = t.oid)""")) {
            ps.setString(1, "capitation_line_" + month.replace('-', '_') + "_v");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    leftovers.add(rs.getString(1));
                }
            }
        }
        try (Statement st = c.createStatement()) {
            for (String t : leftovers) {
                st.execute("DROP TABLE IF EXISTS \"" + t + "\"");
            }
        }
    }

    /**
     * Creates the detached table on the writer's own (autocommit) connection, so the writer can load it outside the
     * run's transaction. Month and version are column defaults (the COPY leaves them out) and a CHECK constraint,
     * which lets ATTACH skip its validation scan.
     */
    void create(Connection writer) throws SQLException {
        try (Statement st = writer.createStatement()) {
            st.execute("CREATE TABLE " + name + " (LIKE capitation_line, CONSTRAINT " + name + "_version CHECK (month = '" + month
                    + "' AND version = " + version + "))");
            st.execute("ALTER TABLE " + name + " ALTER COLUMN month SET DEFAULT '" + month + "', ALTER COLUMN version SET DEFAULT "
                    + version);
        }
    }

    /** One sorted index build (cheaper than a million index inserts), then the swap; visible when the run commits. */
    void indexAndAttach() throws SQLException {
        List<String> previous = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT t.relname FROM pg_inherits i JOIN pg_class t ON t.oid = i.inhrelid
                WHERE i.inhparent = 'capitation_line'::regclass AND starts_with(t.relname, ?)""")) {
            ps.setString(1, "capitation_line_" + month.replace('-', '_') + "_v" + version + "_x");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    previous.add(rs.getString(1));
                }
            }
        }
        try (Statement st = c.createStatement()) {
            // enough memory to sort a million keys in memory (the default 64 MB spills to disk); this transaction only
            st.execute("SET LOCAL maintenance_work_mem = '256MB'");
            st.execute("CREATE INDEX " + name + "_page ON " + name + " (polyclinic_bin, person_key)");
            st.execute("ANALYZE " + name);
            for (String t : previous) {
                // only an OPEN version is ever recomputed: a CLOSED one made the version move on
                st.execute("DROP TABLE \"" + t + "\"");
            }
            st.execute("ALTER TABLE capitation_line ATTACH PARTITION " + name + " FOR VALUES FROM ('" + month + "', " + version
                    + ") TO ('" + month + "', " + (version + 1) + ")");
        }
    }
}
