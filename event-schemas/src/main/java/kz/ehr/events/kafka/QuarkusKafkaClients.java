package kz.ehr.events.kafka;

import java.util.Map;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

import io.micrometer.core.instrument.config.MeterFilter;
import io.smallrye.common.annotation.Identifier;

/**
 * The services' {@link KafkaClients}: the connection is Quarkus's {@code kafka.*} configuration (the map
 * quarkus-kafka-client exposes as {@code @Identifier("default-kafka-broker")}; the same one its {@code /q/health}
 * check uses), and every producer and consumer is announced as a CDI event, which Quarkus's Micrometer Kafka binder
 * observes to export the client's metrics at {@code /q/metrics} ({@code kafka_producer_*}, {@code kafka_consumer_*})
 * and unbinds at shutdown. Like {@link ConsumerLoopsReadiness}, only services load this class.
 */
@Singleton
public class QuarkusKafkaClients {
    /** The one per-partition fetch metric kept: how far each partition is behind. */
    static final String PARTITION_LAG = "kafka.consumer.fetch.manager.records.lag";

    /**
     * Per-partition fetch metrics but the lag are not exported: seven per partition (lag avg/max, lead, lead avg/min,
     * preferred read replica) were 336 of billing's 868 series, and a scrape cost the service ~15 ms of CPU (JFR of
     * {@code ./ehr bench --only pipeline}: the Prometheus scrape was ~10 % of each service's Java samples at one
     * scrape a second). The client-level fetch metrics ({@code records_lag_max}, rates) and {@code ehr_consumer_lag}
     * per group stay.
     */
    @Produces
    @Singleton
    MeterFilter noPerPartitionFetchDetail() {
        return MeterFilter.deny(id -> id.getName().startsWith("kafka.consumer.fetch.manager.")
                && id.getTag("partition") != null && !PARTITION_LAG.equals(id.getName()));
    }

    @Produces
    @Singleton
    KafkaClients kafkaClients(@Identifier("default-kafka-broker") Map<String, Object> config,
                              Event<Producer<?, ?>> producers, Event<Consumer<?, ?>> consumers) {
        return KafkaClients.of(config).observedBy(client -> {
            if (client instanceof Producer<?, ?> p) {
                producers.fire(p);
            } else if (client instanceof Consumer<?, ?> c) {
                consumers.fire(c);
            }
        });
    }
}
