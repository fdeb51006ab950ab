package kz.ehr.simulator.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

/** HdrHistogram summary in milliseconds (values recorded in microseconds). */
final class Percentiles {
    private Percentiles() {
    }

    static Map<String, Object> millis(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return m;
        }
        m.put("p50", round(h.getValueAtPercentile(50) / 1000.0));
        m.put("p90", round(h.getValueAtPercentile(90) / 1000.0));
        m.put("p99", round(h.getValueAtPercentile(99) / 1000.0));
        m.put("max", round(h.getMaxValue() / 1000.0));
        m.put("mean", round(h.getMean() / 1000.0));
        return m;
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
