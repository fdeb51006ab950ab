package kz.ehr.events.kafka;

import java.util.Map;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

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
