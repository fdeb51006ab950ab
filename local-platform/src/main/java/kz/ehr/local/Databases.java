package kz.ehr.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/** Creates the per-service databases on a PostgreSQL server. */
public final class Databases {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private Databases() {
    }

    public static void ensure(String host, int port, String user, String password, String database, boolean recreate) {
        if (!NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("invalid database name " + database);
        }
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, user, password);
             Statement st = c.createStatement()) {
            if (recreate) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            st.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return; // created concurrently
            }
            throw new IllegalStateException("cannot create database " + database + " on " + host + ":" + port, e);
        }
    }

    /** {@code java -cp local-platform.jar kz.ehr.local.Databases host port user password db1 db2 …} */
    public static void main(String[] args) {
        for (int i = 4; i < args.length; i++) {
            ensure(args[0], Integer.parseInt(args[1]), args[2], args[3], args[i], false);
        }
    }
}
