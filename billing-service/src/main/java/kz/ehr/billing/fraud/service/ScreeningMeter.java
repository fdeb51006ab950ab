package kz.ehr.billing.fraud.service;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;

/**
 * Counts the visit rows the monitor reads from the database between two flag writes (one screening step), and keeps
 * the largest such count. What the monitor holds is proportional to it; a test compares it with
 * {@code billing.fraud.rows-per-step} to prove a flood of visits is screened in bounded steps.
 */
public final class ScreeningMeter {
    private static final AtomicLong SINCE_FLUSH = new AtomicLong();
    private static final AtomicLong PEAK = new AtomicLong();
    private static final AtomicLong TOTAL = new AtomicLong();
    private static final AtomicLong STEPS = new AtomicLong();

    private ScreeningMeter() {
    }

    /** Where the monitor read visit rows for: a person's rules, or a doctor's day (at one polyclinic or all). */
    public enum Scope {
        PERSON, DOCTOR_DAY
    }

    /**
     * Where every read is counted as well (BillingMetrics' Prometheus counter), never reset. Pushed, not read by a
     * function counter: a Quarkus test run restarts the application in the same JVM with the meter registry kept, and a
     * function counter registered first would go on reading the first application's meter.
     */
    private static volatile ObjLongConsumer<Scope> sink = (scope, rows) -> { };

    /** Every read from now on is also handed to {@code counter} (by BillingMetrics at start). */
    public static void countInto(ObjLongConsumer<Scope> counter) {
        sink = counter;
    }

    static void read(Scope scope, long rows) {
        sink.accept(scope, rows);
        TOTAL.addAndGet(rows);
        long now = SINCE_FLUSH.addAndGet(rows);
        PEAK.accumulateAndGet(now, Math::max);
    }

    static void flushed() {
        SINCE_FLUSH.set(0);
        STEPS.incrementAndGet();
    }

    /** The most visit rows read within one step since the last {@link #reset()}. */
    public static long peakRowsPerStep() {
        return PEAK.get();
    }

    /** Every visit row read since the last {@link #reset()}. */
    public static long rowsRead() {
        return TOTAL.get();
    }

    /** Flag writes (steps) since the last {@link #reset()}. */
    public static long steps() {
        return STEPS.get();
    }

    public static void reset() {
        SINCE_FLUSH.set(0);
        PEAK.set(0);
        TOTAL.set(0);
        STEPS.set(0);
    }
}
