package kz.ehr.simulator.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.events.EventCodec;
import kz.ehr.events.ProviderRecord;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaPrincipals;
import kz.ehr.testsupport.TestKafka;
import kz.ehr.testsupport.TestPlatform;

/**
 * Kafka mode through a real broker: every record lands on its provider's own topic as Avro, sent as that provider's
 * principal, keyed by provider + local id.
 */
class KafkaSinkTests {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void every_record_is_published_once_as_a_provider_record_with_the_api_json_in_its_payload() throws Exception {
        Map<String, String> expected = new HashMap<>(); // provider/recordId → payload
        List<String> providers = List.of("damumed", "kmis");
        providers.forEach(TestPlatform::kafkaProvider);
        try (KafkaSink kafka = new KafkaSink(id -> TestPlatform.kafkaAs(KafkaPrincipals.provider(id)), 0)) {
            new Simulation(Simulation.Settings.of(60, providers, 5)).run(new RecordSink() {
                @Override
                public void record(SourceRecord r) throws Exception {
                    kafka.record(r);
                    expected.put(r.providerId() + "/" + r.recordId(), RecordJson.render(r));
                }
            });
        }
        EventCodec<ProviderRecord> codec = EventCodec.of(ProviderRecord.class);
        Map<String, ProviderRecord> received = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> raw = new ArrayList<>();
        for (String provider : providers) {
            Set<String> wanted = expected.keySet().stream().filter(k -> k.startsWith(provider + "/")).collect(Collectors.toSet());
            raw.addAll(TestKafka.readRawUntil(Topics.providerTopic(provider), r -> {
                ProviderRecord p = codec.decode(r.value());
                received.put(p.getProviderId() + "/" + p.getRecordId(), p);
                assertThat(p.getProviderId()).as("a record on %s's own topic", provider).isEqualTo(provider);
                return received.keySet().containsAll(wanted);
            }, Duration.ofSeconds(60)));
        }

        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (ConsumerRecord<String, byte[]> r : raw) {
            ProviderRecord p = codec.decode(r.value());
            JsonNode payload = JSON.readTree(p.getPayload());
            assertThat(r.key()).isEqualTo(p.getProviderId() + ":" + payload.at("/patient/localId").asText());
            assertThat(p.getPayload()).isEqualTo(expected.get(p.getProviderId() + "/" + p.getRecordId()));
        }
    }
}
