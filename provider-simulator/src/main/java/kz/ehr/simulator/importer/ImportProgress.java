package kz.ehr.simulator.importer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress line of an import on stderr: file, share of its bytes read, records acknowledged, rate and ETA;
 * redrawn in place every half second on a terminal, a plain line every 10 s otherwise (a log keeps every line).
 */
final class ImportProgress implements AutoCloseable {
    private final PrintStream out;
    private final boolean terminal;
    private final ScheduledExecutorService ticker;
    private final long started = System.nanoTime();
    private final AtomicLong recordsThisRun = new AtomicLong();
    private volatile String file = "";
    private volatile long size;
    private volatile long position;
    private volatile long positionAtStart;
    private volatile long fileStarted;
    private volatile long recordsBefore;
    private volatile long runRecordsAtFileStart;

    /** {@code out} null: silent (--no-progress). */
    ImportProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.ticker = out == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "import-progress");
            t.setDaemon(true);
            return t;
        });
        if (ticker != null) {
            long every = terminal ? 500 : 10_000;
            ticker.scheduleAtFixedRate(this::print, every, every, TimeUnit.MILLISECONDS);
        }
    }

    synchronized void startFile(Path path, long bytes, long recordsAlreadyImported) {
        endFile();
        file = path.getFileName().toString();
        size = bytes;
        position = 0;
        positionAtStart = -1;
        fileStarted = System.nanoTime();
        recordsBefore = recordsAlreadyImported;
        runRecordsAtFileStart = recordsThisRun.get();
    }

    /** The file's last progress line, before its report. */
    synchronized void endFile() {
        if (out != null && !file.isEmpty()) {
            print();
            if (terminal) {
                out.println();
            }
        }
        file = "";
    }

    void position(long rawBytes) {
        if (positionAtStart < 0) {
            positionAtStart = rawBytes;
        }
        position = rawBytes;
    }

    void acknowledged(long records) {
        recordsThisRun.addAndGet(records);
    }

    long recordsThisRun() {
        return recordsThisRun.get();
    }

    private synchronized void print() {
        if (out == null || file.isEmpty()) {
            return;
        }
        out.print((terminal ? "\r" : "") + line() + (terminal ? "\u001b[K" : "\n"));
        out.flush();
    }

    String line() {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        double fileSeconds = Math.max(1e-3, (System.nanoTime() - fileStarted) / 1e9);
        long read = position - Math.max(0, positionAtStart);
        String eta = "–";
        if (read > 0 && position < size) {
            long s = Math.round((size - position) / (read / fileSeconds));
            eta = String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        } else if (position >= size && size > 0) {
            eta = "0:00:00";
        }
        return String.format("%s %3d%% · %,d records of this file imported (%,d this run) · %,.0f rec/s · ETA %s", file,
                size == 0 ? 100 : Math.round(100.0 * position / size), recordsBefore + recordsThisRun.get() - runRecordsAtFileStart,
                recordsThisRun.get(), recordsThisRun.get() / seconds, eta);
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            endFile();
        }
    }
}
