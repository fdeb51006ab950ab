package kz.ehr.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Creates the per-service databases on a PostgreSQL server, each with two roles of its own (ARCHITECTURE.md, trust
 * boundaries): an <b>owner</b> ({@code <db>_owner}) that owns the database, its schema and every object in it and runs
 * the migrations, and a <b>login</b> role ({@code <db>_app}) the service connects as, with CONNECT on its own
 * database only and DML on its tables (the service narrows its audit tables to INSERT and SELECT after each migration:
 * {@code kz.ehr.security.db.LoginRoleGrants}). PUBLIC may not connect, so no service's login opens another's database.
 */
public final class Databases {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,52}");

    private Databases() {
    }

    /**
     * A service's two roles on its database and their passwords.
     *
     * @param owner the role that owns the schema and runs the migrations
     * @param login the role the service connects as: DML only
     */
    public record ServiceRoles(String owner, String ownerPassword, String login, String loginPassword) {
        public static String ownerOf(String database) {
            return database + "_owner";
        }

        public static String loginOf(String database) {
            return database + "_app";
        }

        public static ServiceRoles of(String database, String ownerPassword, String loginPassword) {
            return new ServiceRoles(ownerOf(database), ownerPassword, loginOf(database), loginPassword);
        }

        @Override
        public String toString() {
            return "ServiceRoles[owner=" + owner + ", login=" + login + "]"; // never the passwords
        }
    }

    /** Creates the database if it is missing (a single account owns it: the pre-roles layout, kept for callers that want it). */
    public static void ensure(String host, int port, String user, String password, String database, boolean recreate) {
        checkName(database);
        try (Connection c = DriverManager.getConnection(url(host, port, "postgres"), user, password);
             Statement st = c.createStatement()) {
            if (recreate) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            if (!exists(c, database)) {
                st.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return; // created concurrently
            }
            throw new IllegalStateException("cannot create database " + database + " on " + host + ":" + port, e);
        }
    }

    /**
     * Creates (or brings up to date) the database and its two roles, as an administrator (a superuser, or a role with
     * CREATEROLE and CREATEDB that is a member of the owner role). Idempotent: passwords are set to the given ones, and
     * objects an earlier single-account layout left owned by someone else are handed to the owner.
     */
    public static void provision(String host, int port, String adminUser, String adminPassword, String database,
                                 ServiceRoles roles, boolean recreate) {
        checkName(database);
        checkName(roles.owner());
        checkName(roles.login());
        try (Connection c = DriverManager.getConnection(url(host, port, "postgres"), adminUser, adminPassword);
             Statement st = c.createStatement()) {
            role(c, roles.owner(), roles.ownerPassword());
            role(c, roles.login(), roles.loginPassword());
            if (recreate) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            if (!exists(c, database)) {
                try {
                    st.execute("CREATE DATABASE " + database + " OWNER " + roles.owner());
                } catch (SQLException e) {
                    if (!"42P04".equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
            st.execute("ALTER DATABASE " + database + " OWNER TO " + roles.owner());
            st.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
            st.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + roles.login());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot provision database " + database + " on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        try (Connection c = DriverManager.getConnection(url(host, port, database), adminUser, adminPassword);
             Statement st = c.createStatement()) {
            st.execute("ALTER SCHEMA public OWNER TO " + roles.owner());
            st.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
            st.execute("GRANT USAGE ON SCHEMA public TO " + roles.login());
            adoptObjects(st, roles.owner());
            // tables the owner creates later (migrations, a billing run's partitions) are the login role's to use;
            // the service takes UPDATE and DELETE back from its append-only tables after each migration
            st.execute("ALTER DEFAULT PRIVILEGES FOR ROLE " + roles.owner() + " IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "
                    + roles.login());
            st.execute("ALTER DEFAULT PRIVILEGES FOR ROLE " + roles.owner() + " IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "
                    + roles.login());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set the privileges of database " + database + " on " + host + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }

    /** Hands every object of schema public (not an extension's) to the owner: databases made before the roles existed. */
    private static void adoptObjects(Statement st, String owner) throws SQLException {
        st.execute("""
                DO $$
                DECLARE r record;
                BEGIN
                    FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                               AND c.relowner <> '%1$s'::regrole AND NOT c.relispartition
                               -- an extension's objects stay its own; a serial's sequence follows its table
                               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                               AND d.objid = c.oid AND d.refobjid <> c.oid
                                               AND (d.deptype = 'e' OR (c.relkind = 'S' AND d.deptype IN ('a', 'i'))))
                    LOOP
                        EXECUTE format('ALTER %%s %%s OWNER TO %%I', CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                            WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name, '%1$s');
                    END LOOP;
                    FOR r IN SELECT c.oid::regclass AS name FROM pg_class c
                             WHERE c.relnamespace = 'public'::regnamespace AND c.relispartition AND c.relowner <> '%1$s'::regrole
                    LOOP
                        EXECUTE format('ALTER TABLE %%s OWNER TO %%I', r.name, '%1$s');
                    END LOOP;
                    FOR r IN SELECT p.oid::regprocedure AS name, p.prokind FROM pg_proc p
                             WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> '%1$s'::regrole
                               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                               AND d.objid = p.oid AND d.deptype = 'e')
                    LOOP
                        EXECUTE format('ALTER %%s %%s OWNER TO %%I', CASE r.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
                            r.name, '%1$s');
                    END LOOP;
                END
                $$""".formatted(owner));
    }

    private static void role(Connection c, String name, String password) throws SQLException {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("role " + name + " needs a password");
        }
        String literal = "'" + password.replace("'", "''") + "'";
        try (Statement st = c.createStatement()) {
            if (!roleExists(c, name)) {
                try {
                    st.execute("CREATE ROLE " + name + " LOGIN PASSWORD " + literal);
                    return;
                } catch (SQLException e) {
                    if (!"42710".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                        throw e;
                    }
                    // created concurrently by another JVM: set the password below
                }
            }
            st.execute("ALTER ROLE " + name + " LOGIN PASSWORD " + literal);
        }
    }

    private static boolean roleExists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean exists(Connection c, String database) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid database or role name " + name);
        }
    }

    private static String url(String host, int port, String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /**
     * The roles of {@code database} from {@code <dir>/<database>.env} (the environment a service is started with:
     * EHR_PG_USER/EHR_PG_PASSWORD its login, EHR_PG_OWNER/EHR_PG_OWNER_PASSWORD its owner); a missing file is created
     * with new random passwords, readable by its owner only.
     */
    public static ServiceRoles rolesFile(Path dir, String database) {
        Path file = dir.resolve(database + ".env");
        try {
            if (Files.exists(file)) {
                Map<String, String> env = new LinkedHashMap<>();
                for (String line : Files.readAllLines(file)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        env.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
                return new ServiceRoles(env.get("EHR_PG_OWNER"), env.get("EHR_PG_OWNER_PASSWORD"), env.get("EHR_PG_USER"),
                        env.get("EHR_PG_PASSWORD"));
            }
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            ServiceRoles roles = ServiceRoles.of(database, newPassword(), newPassword());
            Path tmp = Files.createTempFile(dir, database, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, List.of("EHR_PG_USER=" + roles.login(), "EHR_PG_PASSWORD=" + roles.loginPassword(),
                    "EHR_PG_OWNER=" + roles.owner(), "EHR_PG_OWNER_PASSWORD=" + roles.ownerPassword()));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return roles;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    /** The roles of {@code database} from the environment: {@code <DATABASE>_OWNER_PASSWORD} and {@code <DATABASE>_APP_PASSWORD}. */
    static ServiceRoles rolesFromEnvironment(String database) {
        String prefix = database.toUpperCase(Locale.ROOT);
        List<String> missing = new ArrayList<>();
        String owner = System.getenv(prefix + "_OWNER_PASSWORD");
        String app = System.getenv(prefix + "_APP_PASSWORD");
        if (owner == null || owner.isBlank()) {
            missing.add(prefix + "_OWNER_PASSWORD");
        }
        if (app == null || app.isBlank()) {
            missing.add(prefix + "_APP_PASSWORD");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("set " + String.join(" and ", missing) + " (the roles' passwords of " + database + ")");
        }
        return ServiceRoles.of(database, owner, app);
    }

    static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * {@code java -cp local-platform.jar kz.ehr.local.Databases [--roles-dir DIR] host port adminUser db1 db2 …}, the
     * administrator's password from EHR_PG_ADMIN_PASSWORD (none: trust or peer authentication). The roles' passwords
     * come from {@code DIR/<db>.env} (created when missing), or without --roles-dir from {@code <DB>_OWNER_PASSWORD}
     * and {@code <DB>_APP_PASSWORD} in the environment (docker-compose.yml).
     */
    public static void main(String[] args) {
        int i = 0;
        Path rolesDir = null;
        if (args.length > 1 && args[0].equals("--roles-dir")) {
            rolesDir = Path.of(args[1]);
            i = 2;
        }
        if (args.length - i < 4) {
            System.err.println("usage: Databases [--roles-dir DIR] host port adminUser database…");
            System.exit(2);
        }
        String host = args[i];
        int port = Integer.parseInt(args[i + 1]);
        String admin = args[i + 2];
        String adminPassword = System.getenv().getOrDefault("EHR_PG_ADMIN_PASSWORD", "");
        for (int d = i + 3; d < args.length; d++) {
            String database = args[d];
            ServiceRoles roles = rolesDir != null ? rolesFile(rolesDir, database) : rolesFromEnvironment(database);
            provision(host, port, admin, adminPassword, database, roles, false);
            System.out.println("database " + database + ": owner " + roles.owner() + ", login " + roles.login());
        }
    }
}
