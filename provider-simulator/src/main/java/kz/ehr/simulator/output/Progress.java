package kz.ehr.simulator.output;

import java.io.PrintStream;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/** A progress bar with rate and ETA on stderr: redrawn in place on a terminal, one line every 5 s otherwise. */
public final class Progress implements LongConsumer {
    private final long total;
    private final LongSupplier records;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long lastPrint;

    public Progress(long total, LongSupplier records, PrintStream out) {
        this.total = total;
        this.records = records;
        this.out = out;
        this.terminal = System.console() != null;
        this.lastPrint = started;
    }

    @Override
    public void accept(long done) {
        long now = System.nanoTime();
        if (done < total && now - lastPrint < (terminal ? 500_000_000L : 5_000_000_000L)) {
            return;
        }
        lastPrint = now;
        out.print((terminal ? "\r" : "") + line(done, records.getAsLong(), (now - started) / 1e9) + (terminal && done < total ? "" : "\n"));
        out.flush();
    }

    String line(long done, long recordCount, double seconds) {
        int width = 30;
        int filled = (int) (width * Math.min(1.0, (double) done / Math.max(1, total)));
        double rate = seconds > 0 ? recordCount / seconds : 0;
        double perPerson = seconds / Math.max(1, done);
        long eta = Math.round(perPerson * (total - done));
        return String.format("[%s%s] %3d%% %,d/%,d persons · %,d records · %,.0f rec/s · ETA %d:%02d",
                "#".repeat(filled), "-".repeat(width - filled), Math.round(100.0 * done / Math.max(1, total)), done, total,
                recordCount, rate, eta / 60, eta % 60);
    }
}
