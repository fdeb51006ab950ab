package kz.ehr.billing.projection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall time per statement of the screening path, summed over batches, when the system property billing.timings is
 * set (benchmarks only; the bench prints and clears it). Off, {@link #start()} and {@link #add} cost a field read.
 */
public final class StepTimings {
    public static final boolean ON = Boolean.getBoolean("billing.timings");
    private static final Map<String, long[]> SUMS = new LinkedHashMap<>();

    private StepTimings() {
    }

    public static long start() {
        return ON ? System.nanoTime() : 0;
    }

    /** Adds the time since {@code since} to the step and returns now, so that consecutive steps chain. */
    public static long add(String step, long since) {
        if (!ON) {
            return 0;
        }
        long now = System.nanoTime();
        synchronized (SUMS) {
            long[] s = SUMS.computeIfAbsent(step, k -> new long[2]);
            s[0] += now - since;
            s[1]++;
        }
        return now;
    }

    /** One line per step: total seconds and calls; clears the sums. */
    public static String drain() {
        StringBuilder out = new StringBuilder();
        synchronized (SUMS) {
            SUMS.forEach((k, v) -> out.append(String.format("    %-28s %7.3f s  (%d calls)%n", k, v[0] / 1e9, v[1])));
            SUMS.clear();
        }
        return out.toString();
    }
}
