package kz.ehr.testsupport.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A stream bench's statement budget from auto_explain in the server log (billing's and certificates' stream benches):
 * per statement text calls, rows, shared buffer hits/reads/dirtied and the share of the logged execution time, per 1,000
 * deliveries. Buffers and calls do not depend on what else the machine runs; times do. auto_explain is loaded into the
 * bench's own sessions only ({@link #explain}) and makes the server slower while measured.
 */
public final class StatementBudget {
    private StatementBudget() {
    }

    /** The role settings a superuser gives a service's (non-superuser) role so that its sessions log as {@link #explain} asks. */
    static final String ROLE_SETTINGS = "session_preload_libraries = 'auto_explain', auto_explain.log_min_duration = 0,"
            + " auto_explain.log_analyze = on, auto_explain.log_buffers = on, auto_explain.log_timing = off,"
            + " auto_explain.log_format = json, auto_explain.log_nested_statements = on";

    /**
     * Loads auto_explain into this session: every statement, nested ones too, with its buffers, as JSON. Only a superuser
     * may load it; a service's own role (the tests' databases have one) gets it from its role settings instead: for each
     * of {@link #ROLE_SETTINGS}, {@code ALTER ROLE <the bench's app role> SET …} as a superuser, and {@code RESET ALL}
     * after the run.
     */
    public static void explain(Statement st) throws SQLException {
        try (var rs = st.executeQuery("SELECT current_setting('auto_explain.log_min_duration', true) = '0'"
                + " AND current_setting('auto_explain.log_format', true) = 'json'"
                + " AND current_setting('auto_explain.log_nested_statements', true) = 'on'"
                + " AND current_setting('auto_explain.log_buffers', true) = 'on'")) {
            if (rs.next() && rs.getBoolean(1)) {
                return;
            }
        }
        try (var rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            if (rs.next() && !rs.getBoolean(1)) {
                throw new IllegalStateException("auto_explain: role " + st.getConnection().getMetaData().getUserName()
                        + " may not load it; as a superuser, ALTER ROLE it SET each of: " + ROLE_SETTINGS);
            }
        }
        st.execute("LOAD 'auto_explain'");
        st.execute("SET auto_explain.log_min_duration = 0");
        st.execute("SET auto_explain.log_analyze = on");
        st.execute("SET auto_explain.log_buffers = on");
        st.execute("SET auto_explain.log_timing = off");
        st.execute("SET auto_explain.log_format = json");
        st.execute("SET auto_explain.log_nested_statements = on");
    }

    static final Pattern ENTRY = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+ \\S+ \\[(\\d+)\\] ");
    static final Pattern DURATION = Pattern.compile("LOG:  duration: ([0-9.]+) ms  plan:");

    static final class Stat {
        long calls;
        long rows;
        long hit;
        long read;
        long dirtied;
        double ms;
    }

    /**
     * Waits until the server log holds everything the bench's sessions logged: a marker raised at LOG level on the batch
     * session after its last statement is written after their entries, so the log is complete for them once it shows.
     * {@code c} is committed.
     */
    public static void awaitLogged(Connection c, String log, long from) throws Exception {
        String marker = "stream-bench done " + java.util.UUID.randomUUID();
        try (Statement st = c.createStatement()) {
            st.execute("DO $$BEGIN RAISE LOG '" + marker + "'; END$$");
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
        long scanned = from;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (RandomAccessFile f = new RandomAccessFile(log, "r")) {
                long start = Math.max(from, scanned - marker.length()); // a marker cut by the last read
                byte[] tail = new byte[(int) (f.length() - start)];
                f.seek(start);
                f.readFully(tail);
                scanned = start + tail.length;
                if (new String(tail, StandardCharsets.ISO_8859_1).contains(marker)) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server log " + log + " does not show the bench's end marker after 60 s");
            }
            Thread.sleep(50);
        }
    }

    /** Groups the auto_explain entries of the bench's backends by statement text and prints them per 1,000 deliveries. */
    public static void print(String log, long from, Set<Integer> pids, double k) throws IOException {
        byte[] bytes;
        try (RandomAccessFile f = new RandomAccessFile(log, "r")) {
            bytes = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(bytes);
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, Stat> stats = new LinkedHashMap<>();
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = ENTRY.matcher(lines[i]);
            if (!m.find() || !pids.contains(Integer.parseInt(m.group(1)))) {
                continue;
            }
            Matcher dm = DURATION.matcher(lines[i]);
            if (!dm.find()) {
                continue;
            }
            StringBuilder body = new StringBuilder(lines[i].substring(dm.end()));
            while (i + 1 < lines.length && !ENTRY.matcher(lines[i + 1]).find()) {
                body.append('\n').append(lines[++i]);
            }
            JsonNode entry = json.readTree(body.toString());
            String text = entry.path("Query Text").asText().replaceAll("\\s+", " ").trim();
            JsonNode plan = entry.path("Plan");
            Stat s = stats.computeIfAbsent(text, x -> new Stat());
            s.calls++;
            s.ms += Double.parseDouble(dm.group(1));
            JsonNode rowsNode = "ModifyTable".equals(plan.path("Node Type").asText()) && plan.has("Plans")
                    ? plan.path("Plans").get(0) : plan;
            s.rows += rowsNode.path("Actual Rows").asLong() * Math.max(1, rowsNode.path("Actual Loops").asLong());
            s.hit += plan.path("Shared Hit Blocks").asLong();
            s.read += plan.path("Shared Read Blocks").asLong();
            s.dirtied += plan.path("Shared Dirtied Blocks").asLong();
        }
        double totalMs = stats.values().stream().mapToDouble(x -> x.ms).sum();
        long totalHit = stats.values().stream().mapToLong(x -> x.hit).sum();
        long totalCalls = stats.values().stream().mapToLong(x -> x.calls).sum();
        System.out.printf("statements (auto_explain, both backends; nested statements included): %,.1f calls, %,.0f buffer hits, %,.1f reads,"
                + " %,.1f dirtied per 1,000 deliveries%n", totalCalls / k, totalHit / k,
                stats.values().stream().mapToLong(x -> x.read).sum() / k, stats.values().stream().mapToLong(x -> x.dirtied).sum() / k);
        System.out.println("| time % | calls/1k | rows/1k | hits/1k | reads/1k | dirtied/1k | statement |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---|");
        TreeMap<Double, Map.Entry<String, Stat>> sorted = new TreeMap<>();
        int n = 0;
        for (Map.Entry<String, Stat> e : stats.entrySet()) {
            sorted.put(-e.getValue().ms - (n++) * 1e-9, e);
        }
        int top = Integer.getInteger("bench.top", 25);
        for (Map.Entry<String, Stat> e : sorted.values()) {
            if (top-- == 0) {
                break;
            }
            Stat s = e.getValue();
            String text = e.getKey();
            System.out.printf("| %.1f | %.2f | %.0f | %.0f | %.1f | %.1f | %s |%n", 100 * s.ms / totalMs, s.calls / k, s.rows / k, s.hit / k,
                    s.read / k, s.dirtied / k, text.length() > 160 ? text.substring(0, 160) + "…" : text);
        }
    }
}
