package kz.ehr.simulator.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

/**
 * The physical reference for the services' batched SQL: JDBC batches of {@code batch} rows (JSON payloads of the
 * size the services store) into a table of a scratch database, one commit per batch; the database is dropped after.
 */
final class RawPostgresRate {
    static final String DATABASE = "ehr_bench_scratch";

    record Result(long rows, int batch, double seconds, double rowsPerSecond) {
    }

    static Result measure(String host, int port, String user, String password, List<String> payloads, long rows, int batch)
            throws Exception {
        String admin = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, user, password); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE);
            s.execute("CREATE DATABASE " + DATABASE);
        }
        try {
            String url = "jdbc:postgresql://" + host + ":" + port + "/" + DATABASE + "?reWriteBatchedInserts=true";
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE scratch (id bigint PRIMARY KEY, provider_id text NOT NULL, record_id text NOT NULL, "
                            + "payload jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())");
                }
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO scratch (id, provider_id, record_id, payload) VALUES (?, ?, ?, ?::jsonb)")) {
                    insert(c, ps, payloads, -20_000, 0, batch); // warm-up
                    long t0 = System.nanoTime();
                    insert(c, ps, payloads, 0, rows, batch);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    return new Result(rows, batch, seconds, rows / seconds);
                }
            }
        } finally {
            try (Connection c = DriverManager.getConnection(admin, user, password); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + DATABASE);
            }
        }
    }

    private static void insert(Connection c, PreparedStatement ps, List<String> payloads, long from, long to, int batch)
            throws Exception {
        int pending = 0;
        for (long i = from; i < to; i++) {
            ps.setLong(1, i);
            ps.setString(2, "bench");
            ps.setString(3, "r-" + i);
            ps.setString(4, payloads.get((int) Math.floorMod(i, (long) payloads.size())));
            ps.addBatch();
            if (++pending == batch) {
                ps.executeBatch();
                c.commit();
                pending = 0;
            }
        }
        if (pending > 0) {
            ps.executeBatch();
            c.commit();
        }
    }
}
