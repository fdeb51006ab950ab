package kz.ehr.security.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jboss.logging.Logger;

import io.quarkus.flyway.FlywayConfigurationCustomizer;

/**
 * After every migration, run as the owner role (EHR_PG_OWNER), gives the service's login role (the datasource user,
 * EHR_PG_USER) what ARCHITECTURE.md allows it: SELECT, INSERT, UPDATE and DELETE on the schema's tables, and on an
 * <b>append-only</b> table INSERT and SELECT only. A table is append-only when the schema says so with a trigger that
 * refuses TRUNCATE (every audit table has one): the rule follows the schema, so a new audit table needs no list here.
 * The login role owns nothing, so it can neither disable those triggers nor alter any table.
 * <p>
 * With a single account (login = migration user, the pre-roles layout) there is nothing to grant.
 */
@ApplicationScoped
public class LoginRoleGrants implements FlywayConfigurationCustomizer {
    private static final Logger LOG = Logger.getLogger(LoginRoleGrants.class);

    @Override
    public void customize(FluentConfiguration configuration) {
        Optional<String> login = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.username", String.class);
        if (login.isEmpty()) {
            return;
        }
        List<Callback> callbacks = new ArrayList<>(List.of(configuration.getCallbacks()));
        callbacks.add(new AfterMigrate(login.get(), configuration.getTable()));
        configuration.callbacks(callbacks.toArray(Callback[]::new));
    }

    /** The grants, as one statement list run by the migration's own connection. */
    static final class AfterMigrate implements Callback {
        private final String login;
        private final String historyTable;

        AfterMigrate(String login, String historyTable) {
            this.login = login;
            this.historyTable = historyTable;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            try {
                grant(context.getConnection(), login, historyTable);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot grant the login role " + login + " its privileges: " + e.getMessage(), e);
            }
        }

        @Override
        public String getCallbackName() {
            return "ehr-login-role-grants";
        }
    }

    /** The login role's privileges on the current schema; returns the append-only tables it may only add to. */
    public static List<String> grant(Connection c, String login, String historyTable) throws SQLException {
        List<String> appendOnly = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT current_user = ? OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)
                       OR (SELECT rolsuper FROM pg_roles WHERE rolname = ?)""")) {
            ps.setString(1, login);
            ps.setString(2, login);
            ps.setString(3, login);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return appendOnly; // one account for everything, or a superuser: no grant narrows it
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal
                  AND (t.tgtype & 32) <> 0 ORDER BY 1""")) { // 32: TRIGGER_TYPE_TRUNCATE
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    appendOnly.add(rs.getString(1));
                }
            }
        }
        String role = quote(login);
        // instances of a service start together (up --replicas N) and each migration ends here: two GRANTs on one object
        // at once fail one of them with "tuple concurrently updated" (seen in LauncherIT). The grants take turns, the lock
        // held until they are committed (the migration's transaction, or each statement in autocommit)
        boolean inTransaction = !c.getAutoCommit();
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory" + (inTransaction ? "_xact" : "") + "_lock(" + GRANTS_LOCK + ")");
        }
        try (Statement st = c.createStatement()) {
            st.execute("GRANT USAGE ON SCHEMA " + quote(schema(c)) + " TO " + role);
            st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + quote(schema(c)) + " TO " + role);
            st.execute("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + quote(schema(c)) + " TO " + role);
            st.execute("REVOKE ALL ON " + quote(historyTable) + " FROM " + role);
            for (String table : appendOnly) {
                st.execute("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON " + quote(table) + " FROM " + role);
            }
        } finally {
            if (!inTransaction) {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT pg_advisory_unlock(" + GRANTS_LOCK + ")");
                }
            }
        }
        LOG.infof("login role %s: DML on the schema's tables; INSERT and SELECT only on %s", login, appendOnly);
        return appendOnly;
    }

    /** The advisory lock key the grants take turns on, across every service's database on the server. */
    private static final String GRANTS_LOCK = "hashtext('ehr login role grants')";

    private static String schema(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
