package kz.ehr.events.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import kz.ehr.events.metrics.OwnMeters;

/**
 * A service's consumer loops as one readiness answer and one lag gauge per group. It lives here, once, so that each
 * service's {@code @Readiness} bean is only wiring: it passes its {@link MeterRegistry} and the configured
 * {@value #STALL_AFTER}, and delegates.
 */
public final class ConsumerLoopsMonitor {
    /** Configuration key: how long a loop with lag may go without progress before it is not ready. */
    public static final String STALL_AFTER = "ehr.consumer.stall-after";
    public static final String STALL_AFTER_DEFAULT = "120s";
    /** Exported as {@code ehr_consumer_lag{group="…"}} at {@code /q/metrics}; NaN while the lag cannot be read. */
    public static final String LAG_METRIC = "ehr.consumer.lag";
    public static final String CHECK_NAME = "kafka-consumer-loops";

    private final Duration stallAfter;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final List<BatchConsumerLoop<?>> loops = new CopyOnWriteArrayList<>();
    private final OwnMeters meters = new OwnMeters();

    public ConsumerLoopsMonitor(Duration stallAfter, MeterRegistry metrics, Clock clock) {
        this.stallAfter = stallAfter;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Watches {@code loop} from now on and exports its lag; returns it for chaining. */
    public <L extends BatchConsumerLoop<?>> L register(L loop) {
        loops.add(loop);
        meters.add(Gauge.builder(LAG_METRIC, loop, l -> {
                    long lag = l.health().lag();
                    return lag < 0 ? Double.NaN : lag;
                })
                .description("Messages on the group's assigned partitions not yet handled")
                .tag("group", loop.groupId())
                .strongReference(true)
                .register(metrics));
        return loop;
    }

    /** Takes this monitor's gauges out of the registry ({@link OwnMeters} says why). */
    public void close() {
        meters.removeFrom(metrics);
    }

    /** The registered loops, e.g. for handing dead letters back to the one of their group. */
    public List<BatchConsumerLoop<?>> loops() {
        return List.copyOf(loops);
    }

    /** UP while every loop is ready; each loop's group, thread, lag, seconds since progress and dead letters as data. */
    public HealthCheckResponse readiness() {
        Instant now = clock.instant();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(CHECK_NAME);
        boolean up = true;
        for (BatchConsumerLoop<?> loop : loops) {
            ConsumerLoopHealth health = loop.health();
            boolean ready = health.ready(now, stallAfter);
            up &= ready;
            String group = health.group();
            response.withData(group + ".ready", ready)
                    .withData(group + ".alive", health.alive())
                    .withData(group + ".lag", health.lag())
                    .withData(group + ".secondsSinceProgress", health.secondsSinceProgress(now))
                    // since this process started; the ops console shows it per group
                    .withData(group + ".deadLettered", loop.deadLettered());
            if (health.failure() != null) {
                response.withData(group + ".failure", health.failure());
            }
        }
        response.withData("stallAfterSeconds", stallAfter.toSeconds());
        return response.status(up).build();
    }
}
