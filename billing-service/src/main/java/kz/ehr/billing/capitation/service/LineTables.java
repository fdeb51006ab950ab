package kz.ehr.billing.capitation.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.YearMonth;

/**
 * The partitions of {@code capitation_line}: one per (month, version), named
 * {@code capitation_line_<yyyy_MM>_v<version>_x<nonce>}. A run loads a new, detached one (nobody reads it), indexes it
 * once, and swaps it in within the run's transaction. Called under the month's advisory lock, so no other run of
 * the month is loading a table at the same time. The DDL runs in SECURITY DEFINER functions owned by the schema's
 * owner (V7): the service's login role has DML only.
 * Plain JDBC: partition DDL through SECURITY DEFINER functions, no rows to map; part of the capitation run BillingBench measures.
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
        try (PreparedStatement ps = c.prepareStatement("SELECT capitation_line_drop_leftovers(?)")) {
            ps.setString(1, month);
            ps.execute();
        }
    }

    /**
     * Creates the detached table on the writer's own (autocommit) connection, so the writer can load it outside the
     * run's transaction. Month and version are column defaults (the COPY leaves them out) and a CHECK constraint,
     * which lets ATTACH skip its validation scan.
     */
    void create(Connection writer) throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement("SELECT capitation_line_create(?, ?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, month);
            ps.setInt(3, version);
            ps.execute();
        }
    }

    /** One sorted index build (cheaper than a million index inserts), then the swap; visible when the run commits. */
    void indexAndAttach() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT capitation_line_attach(?, ?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, month);
            ps.setInt(3, version);
            ps.execute();
        }
    }
}
