package kz.ehr.billing.fraud.service;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

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

    /** Visit rows read since the service started, by scope: never reset (the Prometheus counter of BillingMetrics). */
    private static final Map<Scope, AtomicLong> SINCE_START = new EnumMap<>(Map.of(Scope.PERSON, new AtomicLong(), Scope.DOCTOR_DAY, new AtomicLong()));

    static void read(Scope scope, long rows) {
        SINCE_START.get(scope).addAndGet(rows);
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

    /** Visit rows read for {@code scope} since the service started (not touched by {@link #reset()}). */
    public static long rowsReadSinceStart(Scope scope) {
        return SINCE_START.get(scope).get();
    }

    public static void reset() {
        SINCE_FLUSH.set(0);
        PEAK.set(0);
        TOTAL.set(0);
        STEPS.set(0);
    }
}
