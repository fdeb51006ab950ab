package kz.ehr.mpi.linking;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The candidates of a batch's steps, read either in line on the writing connection when a step is reached, or
 * ahead of it on a second connection by a background thread. Reading ahead lets PostgreSQL look up the next
 * step's blocks on one core while the writer's backend inserts the current step on the other.
 * <p>
 * The second connection reads in its own short transactions. It sees the index as it was committed before the
 * batch, because the batch's transaction holds the write lock (so nothing else commits links meanwhile) and its
 * own changes are not visible outside it; the batch keeps every patient it changed in memory and those win
 * over what is read ({@code LinkingEngine.Batch#add}).
 * Plain JDBC: part of batch linking, measured by ScaleBenchmark (docs/benchmarks/patient-index-service.md, "reading ahead").
 */
public abstract class ReadAhead implements AutoCloseable {
    /** Where the second connection comes from; it is opened on the reading thread and closed when the batch ends. */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mpi-read-ahead");
        t.setDaemon(true);
        return t;
    });

    abstract LinkingEngine.Blocks get(int step) throws SQLException;

    @Override
    public abstract void close();

    static ReadAhead inLine(Connection c, List<List<SourceState>> steps) {
        return new ReadAhead() {
            @Override
            LinkingEngine.Blocks get(int step) throws SQLException {
                return LinkingEngine.block(c, steps.get(step));
            }

            @Override
            public void close() {
            }
        };
    }

    static ReadAhead start(Connections connections, List<List<SourceState>> steps) {
        List<CompletableFuture<LinkingEngine.Blocks>> results = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            results.add(new CompletableFuture<>());
        }
        Ahead ahead = new Ahead(results);
        READERS.execute(() -> ahead.run(connections, steps));
        return ahead;
    }

    private static final class Ahead extends ReadAhead {
        private final List<CompletableFuture<LinkingEngine.Blocks>> results;
        private volatile boolean closed;

        Ahead(List<CompletableFuture<LinkingEngine.Blocks>> results) {
            this.results = results;
        }

        void run(Connections connections, List<List<SourceState>> steps) {
            int step = 0;
            try (Connection r = connections.open()) {
                boolean autoCommit = r.getAutoCommit();
                r.setAutoCommit(false);
                try {
                    for (; step < steps.size() && !closed; step++) {
                        LinkingEngine.Blocks blocks = LinkingEngine.block(r, steps.get(step));
                        // one short transaction per step: nothing is held open while the writer works
                        r.commit();
                        results.get(step).complete(blocks);
                    }
                } finally {
                    r.rollback();
                    r.setAutoCommit(autoCommit);
                }
            } catch (Throwable t) {
                for (int i = step; i < results.size(); i++) {
                    results.get(i).completeExceptionally(t);
                }
            }
            for (int i = step; i < results.size(); i++) {
                results.get(i).cancel(false);
            }
        }

        @Override
        LinkingEngine.Blocks get(int step) throws SQLException {
            try {
                return results.get(step).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw new IllegalStateException("reading ahead failed", e.getCause());
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
