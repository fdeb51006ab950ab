package kz.ehr.events.kafka;

import java.time.Clock;
import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Not ready while one of this service's Kafka consumer loops died, or has lag and made no progress for
 * {@code ehr.consumer.stall-after}; also exports {@code ehr_consumer_lag{group}}. Wiring only: the rule is
 * {@link ConsumerLoopsMonitor}'s. One bean for every service: this jar carries {@code META-INF/beans.xml}, so Quarkus
 * discovers it in each service that depends on it. {@code @Default} as well, so the classes that start the loops can
 * inject it without the health qualifier.
 */
@Readiness
@Default
@Singleton
public class ConsumerLoopsReadiness implements HealthCheck {
    private final ConsumerLoopsMonitor loops;

    ConsumerLoopsReadiness(MeterRegistry metrics,
                           @ConfigProperty(name = ConsumerLoopsMonitor.STALL_AFTER,
                                   defaultValue = ConsumerLoopsMonitor.STALL_AFTER_DEFAULT) Duration stallAfter) {
        this.loops = new ConsumerLoopsMonitor(stallAfter, metrics, Clock.systemUTC());
    }

    /** Called by whoever starts a loop; returns it. */
    public <L extends BatchConsumerLoop<?>> L register(L loop) {
        return loops.register(loop);
    }

    /** This service's loop of consumer group {@code groupId}, if it runs one. */
    public java.util.Optional<BatchConsumerLoop<?>> loop(String groupId) {
        return loops.loops().stream().filter(l -> l.groupId().equals(groupId)).findFirst();
    }

    @PreDestroy
    void close() {
        loops.close();
    }

    @Override
    public HealthCheckResponse call() {
        return loops.readiness();
    }
}
