package kz.ehr.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class KafkaMetricsFilterTests {
    private final MeterRegistry registry = new SimpleMeterRegistry();

    KafkaMetricsFilterTests() {
        registry.config().meterFilter(new QuarkusKafkaClients().noPerPartitionFetchDetail());
    }

    private boolean kept(String name, String... tags) {
        Gauge.builder(name, () -> 1.0).tags(tags).register(registry);
        return registry.find(name).tags(tags).gauge() != null;
    }

    @Test
    void perPartitionFetchDetailIsDroppedButEachPartitionsLagIsKept() {
        assertThat(kept("kafka.consumer.fetch.manager.records.lead", "topic", "ehr.care.v1", "partition", "0")).isFalse();
        assertThat(kept("kafka.consumer.fetch.manager.records.lag.avg", "topic", "ehr.care.v1", "partition", "0")).isFalse();
        assertThat(kept("kafka.consumer.fetch.manager.preferred.read.replica", "topic", "ehr.care.v1", "partition", "1")).isFalse();

        assertThat(kept(QuarkusKafkaClients.PARTITION_LAG, "topic", "ehr.care.v1", "partition", "0")).isTrue();
    }

    @Test
    void clientLevelFetchMetricsAndOtherClientsMetricsStay() {
        assertThat(kept("kafka.consumer.fetch.manager.records.lag.max", "client.id", "billing-service-1")).isTrue();
        assertThat(kept("kafka.consumer.fetch.manager.records.consumed.total", "client.id", "billing-service-1",
                "topic", "ehr.care.v1")).isTrue();
        assertThat(kept("kafka.producer.record.send.total", "client.id", "ingestion", "partition", "0")).isTrue();
        assertThat(kept("ehr.consumer.lag", "group", "billing-service")).isTrue();
    }
}
