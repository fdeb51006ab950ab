package kz.ehr.simulator.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL settings that move the platform's write rates (buffers, checkpoints, commit durability, and whether
 * anything analyses and vacuums the tables the services fill), read from the server itself, so a figure says whether it
 * was measured on a tuned server or on the defaults. autovacuum is here because this machine's image turns it off, and
 * billing then slowed about fifteen-fold on never-analysed tables (docs/benchmarks/billing-service.md, "Autovacuum").
 */
final class PostgresSettings {
    static final List<String> NAMES = List.of("shared_buffers", "max_wal_size", "synchronous_commit", "fsync", "autovacuum");

    private PostgresSettings() {
    }

    /** name → "value (default)" or "value (set by SOURCE)" as {@link #describe}, in the order of {@link #NAMES}; "unknown: …" when unreadable. */
    static Map<String, Object> read(String host, int port, String user, String password) {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, password);
             PreparedStatement ps = c.prepareStatement("SELECT name, current_setting(name), source, setting = boot_val FROM pg_settings WHERE name = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", NAMES.toArray()));
            Map<String, String> found = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), describe(rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
            NAMES.forEach(n -> out.put(n, found.getOrDefault(n, "not reported by the server")));
        } catch (Exception e) {
            out.put("unknown", e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
        }
        return out;
    }

    /**
     * pg_settings.source 'default' is the server's built-in value; anything else says where it was set, and whether
     * that is the built-in value anyway (a packaged postgresql.conf often writes shared_buffers = 128MB, the default).
     */
    static String describe(String value, String source, boolean builtInValue) {
        if ("default".equals(source)) {
            return value + " (default)";
        }
        return value + (builtInValue ? " (the default value, set by " : " (set by ") + source + ")";
    }

    /**
     * The settings whose value is not the server's built-in one, for a summary cell: "built-in values", "built-in values
     * but autovacuum off", "tuned: shared_buffers 3GB, max_wal_size 8GB" (a buffer or WAL size changed), or "not recorded".
     */
    static String changed(Map<String, Object> settings) {
        if (settings == null) {
            return "not recorded";
        }
        if (settings.containsKey("unknown")) {
            return "unknown: " + settings.get("unknown");
        }
        StringBuilder s = new StringBuilder();
        boolean tuned = false;
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            String v = String.valueOf(e.getValue());
            if (v.contains(" (set by ")) {
                s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(v, 0, v.indexOf(" (set by "));
                tuned |= e.getKey().equals("shared_buffers") || e.getKey().equals("max_wal_size");
            }
        }
        return s.length() == 0 ? "built-in values" : tuned ? "tuned: " + s : "built-in values but " + s;
    }

    /** One line for a table cell: "shared_buffers 128MB (default), max_wal_size 8GB (set by configuration file), …". */
    static String summary(Map<String, Object> settings) {
        StringBuilder s = new StringBuilder();
        settings.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return s.toString();
    }
}
