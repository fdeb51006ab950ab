package kz.ehr.events.outbox;

import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.metrics.OwnMeters;

/**
 * The one outbox publisher bean: runs {@link OutboxRelay} for as long as a service with an outbox runs
 * ({@code ehr.outbox.enabled=true}; ingestion publishes directly and has none), and exports
 * {@code ehr_outbox_unsent}, {@code ehr_outbox_set_aside} (rows Kafka refused, waiting for ops) and the counters
 * {@code ehr_outbox_sent_total}, {@code ehr_outbox_set_aside_rows_total}, {@code ehr_outbox_pruned_total} at
 * /q/metrics.
 */
@Singleton
public class OutboxPublisher {
    @ConfigProperty(name = "ehr.outbox.enabled", defaultValue = "false")
    boolean enabled;
    /** Client id and thread name, e.g. billing-outbox. */
    @ConfigProperty(name = "ehr.outbox.name", defaultValue = "outbox")
    String name;
    /** Rows sent per pass. */
    @ConfigProperty(name = "ehr.outbox.batch-size", defaultValue = "1000")
    int batchSize;
    /** Pause between passes when a pass found less than a full batch. */
    @ConfigProperty(name = "ehr.outbox.poll-interval", defaultValue = "200ms")
    Duration pollInterval;
    /** How long a sent row is kept (for inspection and replays) before it is pruned. */
    @ConfigProperty(name = "ehr.outbox.retention", defaultValue = "P7D")
    Duration retention;
    @Inject
    KafkaClients kafka;
    @Inject
    DataSource dataSource;
    @Inject
    MeterRegistry metrics;

    private volatile OutboxRelay relay;
    private final OwnMeters meters = new OwnMeters();

    public boolean enabled() {
        return enabled;
    }

    /** The running relay, or null when this service has no outbox or has not started yet. */
    public OutboxRelay relay() {
        return relay;
    }

    public OutboxStatus status(int setAsideLimit) throws java.sql.SQLException {
        return OutboxRelay.status(dataSource, setAsideLimit);
    }

    /** See {@link OutboxRelay#requeue}. */
    public boolean requeue(long id) throws java.sql.SQLException {
        return OutboxRelay.requeue(dataSource, id);
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        OutboxRelay r = new OutboxRelay(dataSource, kafka, name, batchSize, pollInterval, retention);
        meters.add(FunctionCounter.builder("ehr.outbox.sent", r, OutboxRelay::sent).description("Outbox rows sent")
                .register(metrics));
        meters.add(FunctionCounter.builder("ehr.outbox.set.aside.rows", r, OutboxRelay::setAside)
                .description("Outbox rows set aside because Kafka refuses them").register(metrics));
        meters.add(FunctionCounter.builder("ehr.outbox.pruned", r, OutboxRelay::pruned)
                .description("Sent outbox rows pruned after the retention").register(metrics));
        meters.add(Gauge.builder("ehr.outbox.unsent", this, p -> p.count(false)).description("Outbox rows waiting to be sent")
                .register(metrics));
        meters.add(Gauge.builder("ehr.outbox.set.aside", this, p -> p.count(true))
                .description("Outbox rows set aside now (see GET /api/v1/ops/outbox)").register(metrics));
        relay = r.start();
    }

    private double count(boolean setAside) {
        try {
            OutboxStatus s = OutboxRelay.status(dataSource, 0);
            return setAside ? s.setAside() : s.unsent();
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        meters.removeFrom(metrics);
        OutboxRelay r = relay;
        if (r != null) {
            r.close();
        }
    }
}
