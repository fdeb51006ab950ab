package kz.ehr.mpi.linking;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

import org.postgresql.PGConnection;

/**
 * The writes of a batch's steps, run either at once on the batch's connection, or behind the writer by a
 * background thread on that same connection (so in the batch's transaction), in the order they were made, while
 * the writer decides the next step. Each write carries the values of the in-memory state when it was made
 * ({@link IndexStore.Write}); the writer goes on changing that state. Only this thread uses the connection
 * until {@link #finish()} or {@link #close()} returns: the batch commits or rolls back after that.
 * Plain JDBC: part of batch linking, measured by ScaleBenchmark (docs/benchmarks/patient-index-service.md, "writing behind").
 */
abstract class WriteBehind implements AutoCloseable {
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mpi-write-behind");
        t.setDaemon(true);
        return t;
    });

    abstract void submit(IndexStore.Write write) throws SQLException;

    /** Waits for every submitted write; the first failure is thrown (the later writes were skipped). */
    abstract void finish() throws SQLException;

    /** Waits for the write in flight, if any, and drops the rest: the connection is the caller's again. */
    @Override
    public abstract void close();

    static WriteBehind inLine(Connection c) {
        return new WriteBehind() {
            @Override
            void submit(IndexStore.Write write) throws SQLException {
                write.to(c);
            }

            @Override
            void finish() {
            }

            @Override
            public void close() {
            }
        };
    }

    static WriteBehind start(Connection c) throws SQLException {
        // the driver's own connection: a pool's wrapper checks its transaction against the calling thread's
        Connection raw = c.isWrapperFor(PGConnection.class) ? (Connection) c.unwrap(PGConnection.class) : c;
        Behind behind = new Behind(raw);
        WRITERS.execute(behind::run);
        return behind;
    }

    private static final class Behind extends WriteBehind {
        private final Connection c;
        private final BlockingQueue<Optional<IndexStore.Write>> queue = new LinkedBlockingQueue<>();
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile Throwable failure;
        private volatile boolean dropRest;
        private boolean ended;

        Behind(Connection c) {
            this.c = c;
        }

        void run() {
            try {
                while (true) {
                    Optional<IndexStore.Write> write = queue.take();
                    if (write.isEmpty()) {
                        return;
                    }
                    if (failure == null && !dropRest) {
                        try {
                            write.get().to(c);
                        } catch (Throwable t) {
                            failure = t;
                        }
                    }
                }
            } catch (InterruptedException e) {
                failure = e;
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        }

        @Override
        void submit(IndexStore.Write write) throws SQLException {
            rethrow();
            queue.add(Optional.of(write));
        }

        @Override
        void finish() throws SQLException {
            end();
            rethrow();
        }

        @Override
        public void close() {
            dropRest = true;
            end();
        }

        private void end() {
            if (!ended) {
                ended = true;
                queue.add(Optional.empty());
            }
            boolean interrupted = false;
            while (true) {
                try {
                    stopped.await();
                    break;
                } catch (InterruptedException e) {
                    // the connection must not be handed back while a statement still runs on it
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void rethrow() throws SQLException {
            Throwable t = failure;
            if (t instanceof SQLException sql) {
                throw sql;
            }
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new SQLException("writing behind failed", t);
            }
        }
    }
}
