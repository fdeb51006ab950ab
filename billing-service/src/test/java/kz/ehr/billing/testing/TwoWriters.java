package kz.ehr.billing.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

/**
 * Two writers of billing's projection at once, as two instances of its consumer group ({@code ./ehr up --replicas 2})
 * applying a batch each of their own partitions. The first writes its batch and holds its transaction open; the second
 * starts on another connection; once the second has finished (it did not wait) or waits for a lock the first holds,
 * the first commits, and the second is awaited and committed. What a test then finds is what two writers at once
 * leave, in the order most likely to show a read that did not see the other's rows.
 */
public final class TwoWriters {
    /** One writer's batch on its connection, in its (uncommitted) transaction. */
    @FunctionalInterface
    public interface Write {
        void on(Connection c) throws Exception;
    }

    private TwoWriters() {
    }

    public static void race(DataSource dataSource, Write first, Write second) throws Exception {
        try (Connection one = dataSource.getConnection(); Connection two = dataSource.getConnection()) {
            one.setAutoCommit(false);
            two.setAutoCommit(false);
            first.on(one);
            int twoPid = backendPid(two);
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
                try {
                    second.on(two);
                    two.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // a bound, not a measurement: past it the first commits anyway, and the test's assertions on what the two
            // left say whether they saw each other
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!other.isDone() && !waitsForALock(dataSource, twoPid) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            one.commit();
            other.get(60, TimeUnit.SECONDS);
        }
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean waitsForALock(DataSource dataSource, int pid) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
