package kz.ehr.billing.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

import org.jboss.logging.Logger;

import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;

/**
 * A consumed batch's event log ({@link PersonEvents}) written on a connection and transaction of its own while the
 * batch's projection transactions run, and committed after they have committed.
 * <p>
 * Why beside: nothing else in billing writes or reads {@code person_event} on the consumer's path (the staff read only
 * reads it), so the two share no row and no lock, and on the consumer's serial path the log's insert was the largest
 * statement after the visits (about a sixth of billing's database time in the 1M pipeline run). Written beside, it
 * costs the batch its wall time no more. Only a full batch's ({@link BillingIngest#handle}): when the consumer keeps
 * up, a shorter serial path only makes its batches smaller, and that costs more CPU per record.
 * <p>
 * Why committed after: a reader who finds an event in the log finds what the projection made of it (tests and
 * operators probe billing's projection through the log). Until the log commits, the projection may hold a batch the
 * log does not show yet; if the commit fails the consumer's retry applies the batch again, which changes nothing in the
 * projection (versioned upserts) and writes the log.
 * <p>
 * No wait cycle through this connection that lasts: its batch's transactions do not touch {@code person_event}. Another
 * instance's batch that keeps its log in its transaction (a smaller batch) holds the projection's write lock while it
 * writes the log, so it could wait for a row this connection holds while this batch's transactions wait for that lock;
 * it waits only {@link BillingIngest#EVENT_LOG_LOCK_TIMEOUT}, then fails as transient and releases the lock.
 */
public final class EventLogBeside implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventLogBeside.class);

    /** Gives a connection not enlisted in any transaction. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection get() throws SQLException;
    }

    /** null when the batch has no health records (links only): nothing to log. */
    private final Connection connection;
    private final CompletableFuture<Void> written;
    private boolean committed;

    private EventLogBeside(Connection connection, CompletableFuture<Void> written) {
        this.connection = connection;
        this.written = written;
    }

    /** Starts writing {@code records} to the log on {@code pool}, on a connection of {@code connections} with autocommit off. */
    public static EventLogBeside start(ConnectionSource connections, ExecutorService pool,
                                       List<Delivery<HealthRecordEvent>> records) throws SQLException {
        if (records.isEmpty()) {
            return new EventLogBeside(null, CompletableFuture.completedFuture(null));
        }
        Connection c = connections.get();
        try {
            c.setAutoCommit(false);
            return new EventLogBeside(c, CompletableFuture.runAsync(() -> {
                try {
                    PersonEvents.store(c, records);
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            }, pool));
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Waits for the write and commits it; a failure of either is thrown (the batch then fails and is retried). */
    public void commit() throws Exception {
        awaitWritten();
        if (connection != null) {
            connection.commit();
        }
        committed = true;
    }

    /** Rolls back what is not committed (after waiting for the write to end) and hands the connection back. */
    @Override
    public void close() throws SQLException {
        if (connection == null) {
            return;
        }
        try {
            if (!committed) {
                try {
                    awaitWritten();
                } catch (Exception e) {
                    // the batch is failing already; its own failure is the one reported
                    LOG.debugf("event log beside a failed batch: %s", e.getClass().getSimpleName());
                }
                connection.rollback();
            }
        } finally {
            connection.close();
        }
    }

    /** join(), not get(): the write holds the connection, so it is waited for even when interrupted (the interrupt is kept). */
    private void awaitWritten() throws Exception {
        try {
            written.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
