package kz.ehr.billing.fraud.service;

import java.sql.SQLException;
import java.util.List;

/**
 * A monitor step's keys (doctor's days, persons) read whole without counting their visits first: in chunks expected to
 * hold half the step's budget (from the visits per key of the chunks read before), each read with a limit of the budget
 * plus one. A chunk that reaches it is dropped and screened the counted way instead (its sizes, then groups or pages), so
 * what one step holds stays bounded for any shape (a flood of one doctor-day, one person's 50,000 records: StormBench),
 * while the usual chunk costs one read instead of a count and a read of the same rows (BillingStreamBench,
 * docs/benchmarks/billing-service.md).
 */
final class ChunkedRead {
    /** What a chunk's read gave: the rows read ({@code limit + 1} when the chunk holds more) and what they give. */
    record Read<R>(int rows, R visits) {
    }

    /** One step's reads and screening of a chunk of keys. */
    interface Step<K, R> {
        /** Every visit of the keys, unless there are more than {@code limit}: then what was read up to {@code limit + 1}. */
        Read<R> read(List<K> chunk, int limit) throws SQLException;

        /** Screens a chunk read whole. */
        void screen(List<K> chunk, R read) throws SQLException;

        /** Screens a chunk that reached the limit the counted way. */
        void counted(List<K> chunk) throws SQLException;
    }

    /** Visits per key seen by the last chunks read (a running mean), for the size of the next chunk. */
    private volatile double visitsPerKey;

    ChunkedRead(double visitsPerKey) {
        this.visitsPerKey = visitsPerKey;
    }

    /** A read of some keys' visits with a limit: the rows read, {@code limit + 1} when they hold more. */
    interface LimitedRead<K> {
        int read(List<K> chunk, int limit) throws SQLException;
    }

    /**
     * One chunk of the first keys, sized as {@link #run} sizes its chunks, read once with the budget as limit: the
     * keys read whole, or none when the chunk reached it (what was read is then to be dropped).
     */
    <K> List<K> firstChunk(List<K> keys, int budget, LimitedRead<K> read) throws SQLException {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<K> chunk = keys.subList(0, chunkSize(keys.size(), budget));
        int rows = read.read(chunk, budget);
        if (rows > budget) {
            visitsPerKey = Math.max(visitsPerKey, (double) rows / chunk.size());
            return List.of();
        }
        visitsPerKey = Math.max(1, (visitsPerKey + (double) rows / chunk.size()) / 2);
        return chunk;
    }

    private int chunkSize(int keysLeft, int budget) {
        return (int) Math.max(1, Math.min(keysLeft, budget / (2 * visitsPerKey)));
    }

    <K, R> void run(List<K> keys, int budget, Step<K, R> step) throws SQLException {
        int i = 0;
        while (i < keys.size()) {
            int n = chunkSize(keys.size() - i, budget);
            List<K> chunk = keys.subList(i, i + n);
            i += n;
            Read<R> read = step.read(chunk, budget);
            int rows = read.rows();
            if (rows > budget) {
                // the next chunks smaller (a key this large on its own pays this read once per batch: at most one step)
                visitsPerKey = Math.max(visitsPerKey, (double) rows / n);
                read = null; // not held while the counted way reads its steps
                step.counted(chunk);
                continue;
            }
            visitsPerKey = Math.max(1, (visitsPerKey + (double) rows / n) / 2);
            step.screen(chunk, read.visits());
        }
    }
}
