package kz.ehr.ingestion.stats;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Prometheus metrics per provider (a dozen vendors, so the provider tag stays small):
 * {@code ehr_ingestion_records_total{provider,channel,outcome}}, {@code ehr_ingestion_rejections_total{provider,code}},
 * {@code ehr_ingestion_warnings_total{provider,code}}, {@code ehr_ingestion_batch_seconds{channel,result}},
 * {@code ehr_ingestion_provider_last_seen_seconds{provider}}.
 */
@ApplicationScoped
public class IngestionMetrics {
    @Inject
    MeterRegistry registry;

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastSeen = new ConcurrentHashMap<>();

    public void batch(BatchTally t) {
        count("ehr.ingestion.records", t.accepted - t.updates, "provider", t.providerId, "channel", t.channel, "outcome", "accepted");
        count("ehr.ingestion.records", t.updates, "provider", t.providerId, "channel", t.channel, "outcome", "updated");
        count("ehr.ingestion.records", t.duplicates, "provider", t.providerId, "channel", t.channel, "outcome", "duplicate");
        count("ehr.ingestion.records", t.rejected, "provider", t.providerId, "channel", t.channel, "outcome", "rejected");
        t.rejectionsByCode.forEach((code, n) -> count("ehr.ingestion.rejections", n, "provider", t.providerId, "code", code));
        t.warningsByCode.forEach((code, n) -> count("ehr.ingestion.warnings", n, "provider", t.providerId, "code", code));
        lastSeen.computeIfAbsent(t.providerId, p -> registry.gauge("ehr.ingestion.provider.last.seen.seconds",
                        io.micrometer.core.instrument.Tags.of("provider", p), new AtomicLong()))
                .set(t.at.getEpochSecond());
    }

    /** @param result ok, kafka_unavailable, database_unavailable */
    public void batchTime(String channel, String result, Duration duration) {
        Timer.builder("ehr.ingestion.batch").tag("channel", channel).tag("result", result)
                .publishPercentileHistogram().register(registry).record(duration);
    }

    private void count(String name, long n, String... tags) {
        if (n <= 0) {
            return;
        }
        String id = name + String.join("|", tags);
        counters.computeIfAbsent(id, k -> Counter.builder(name).tags(tags).register(registry)).increment(n);
    }
}
