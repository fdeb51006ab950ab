package kz.ehr.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import kz.ehr.local.Databases;

/**
 * What a service's database roles must refuse, tried for real on a test database that {@link TestPlatform} provisioned
 * and the service migrated: its login role may only add to and read an append-only table, cannot disable its
 * triggers, cannot create tables and cannot open another service's database; the owner is still stopped by the
 * append-only triggers. Each check throws an {@link AssertionError} naming what was not refused.
 */
public final class DatabaseRoleChecks {
    private DatabaseRoleChecks() {
    }

    /** A connection to the test database {@code baseName} as its login role. */
    public static Connection asLogin(String baseName) throws SQLException {
        Databases.ServiceRoles r = TestPlatform.roles(baseName);
        return DriverManager.getConnection(TestPlatform.freshDatabase(baseName), r.login(), r.loginPassword());
    }

    /** A connection to the test database {@code baseName} as its owner role. */
    public static Connection asOwner(String baseName) throws SQLException {
        Databases.ServiceRoles r = TestPlatform.roles(baseName);
        return DriverManager.getConnection(TestPlatform.freshDatabase(baseName), r.owner(), r.ownerPassword());
    }

    /**
     * As the login role, {@code insert} (a row for {@code table}) and a SELECT work; UPDATE, DELETE, TRUNCATE, ALTER
     * TABLE … DISABLE TRIGGER and CREATE TABLE are refused by privileges (not merely by the trigger); as the owner,
     * UPDATE, DELETE and TRUNCATE are still refused by the append-only trigger.
     */
    public static void assertAppendOnly(String baseName, String table, String insert) throws SQLException {
        assertInsertAndSelectOnly(baseName, table);
        List<String> failures = new ArrayList<>();
        try (Connection c = asLogin(baseName); Statement st = c.createStatement()) {
            st.executeUpdate(insert);
            st.executeQuery("SELECT count(*) FROM " + table).close();
            refused(st, "UPDATE " + table + " SET id = id", "permission denied", failures);
            refused(st, "DELETE FROM " + table, "permission denied", failures);
            refused(st, "TRUNCATE " + table, "permission denied", failures);
            refused(st, "ALTER TABLE " + table + " DISABLE TRIGGER ALL", "must be owner", failures);
            refused(st, "ALTER TABLE " + table + " DISABLE TRIGGER USER", "must be owner", failures);
            refused(st, "DROP TABLE " + table, "must be owner", failures);
            refused(st, "CREATE TABLE login_role_scratch (id int)", "permission denied", failures);
        }
        try (Connection c = asOwner(baseName); Statement st = c.createStatement()) {
            refused(st, "UPDATE " + table + " SET id = id", "append-only", failures);
            refused(st, "DELETE FROM " + table, "append-only", failures);
            refused(st, "TRUNCATE " + table, "append-only", failures);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("on " + table + " of " + baseName + ": " + String.join("; ", failures));
        }
    }

    /** The login role holds exactly INSERT and SELECT on {@code table}, and the table is not its own. */
    public static void assertInsertAndSelectOnly(String baseName, String table) throws SQLException {
        Databases.ServiceRoles r = TestPlatform.roles(baseName);
        List<String> held = new ArrayList<>();
        try (Connection c = asOwner(baseName); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT p FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) p "
                        + "WHERE has_table_privilege(?, ?::regclass, p) ORDER BY p")) {
            ps.setString(1, r.login());
            ps.setString(2, table);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.add(rs.getString(1));
                }
            }
        }
        if (!held.equals(List.of("INSERT", "SELECT"))) {
            throw new AssertionError(r.login() + " holds " + held + " on " + table + ", not exactly [INSERT, SELECT]");
        }
    }

    /** The current user of {@code c} (a connection from the service's own pool) is the login role of {@code baseName}. */
    public static void assertConnectedAsLogin(Connection c, String baseName) throws SQLException {
        try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT current_user")) {
            rs.next();
            String login = TestPlatform.roles(baseName).login();
            if (!login.equals(rs.getString(1))) {
                throw new AssertionError("the service connects as " + rs.getString(1) + ", not its login role " + login);
            }
        }
    }

    /** The login role of {@code baseName} cannot connect to {@code otherBaseName}, a database provisioned for another service. */
    public static void assertCannotOpen(String baseName, String otherBaseName) {
        String other = TestPlatform.freshDatabase(otherBaseName);
        Databases.ServiceRoles r = TestPlatform.roles(baseName);
        try (Connection c = DriverManager.getConnection(other, r.login(), r.loginPassword())) {
            throw new AssertionError(r.login() + " opened " + other);
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("permission denied for database")) {
                throw new AssertionError(r.login() + " could not open " + other + ", but not for want of CONNECT: " + e.getMessage(), e);
            }
        }
    }

    private static void refused(Statement st, String sql, String expected, List<String> failures) throws SQLException {
        boolean autoCommit = st.getConnection().getAutoCommit();
        try {
            st.execute(sql);
            failures.add("\"" + sql + "\" was not refused");
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains(expected)) {
                failures.add("\"" + sql + "\" failed with \"" + e.getMessage() + "\", not \"" + expected + "\"");
            }
        }
        if (!autoCommit) {
            st.getConnection().rollback();
        }
    }
}
