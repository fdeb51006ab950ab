package kz.ehr.ingestion;

import static kz.ehr.ingestion.TestRecords.id;
import static kz.ehr.ingestion.TestRecords.patient;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.ProviderRecord;
import kz.ehr.events.RejectedRecord;
import kz.ehr.events.Topics;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestKafka;
import kz.ehr.testsupport.TestPlatform;

/**
 * Kafka-native adapters: each writes its own provider.records.v1.&lt;providerId&gt; as its own principal, and gets the
 * same validation, routing and idempotency as REST; the topic, not the message, says which provider sent a record.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_ingestion_test"))
class ProviderRecordsConsumerTests {

    static void submit(String provider, String recordId, String payload) {
        submit(provider, provider, recordId, payload);
    }

    /** As the adapter of {@code sender}, on its own topic, a record that names {@code namedProvider}. */
    static void submit(String sender, String namedProvider, String recordId, String payload) {
        ProviderRecord record = ProviderRecord.newBuilder().setProviderId(namedProvider)
                .setRecordId(recordId).setSubmittedAt(Instant.now()).setPayload(payload).build();
        try (KafkaProducer<String, byte[]> adapter = TestPlatform.kafkaProvider(sender).producer("adapter-" + sender,
                new StringSerializer(), new ByteArraySerializer())) {
            adapter.send(new ProducerRecord<>(Topics.providerTopic(sender), namedProvider + ":P-1",
                    EventCodec.of(ProviderRecord.class).encode(record))).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the adapter of " + sender + " could not send", e);
        }
    }

    @Test
    void aValidRecordIsPublishedOnceEvenWhenTheAdapterSendsItTwice() {
        String recordId = id("kafka");
        submit("damumed", recordId, patient(recordId, "P-1", "900101400013"));
        submit("damumed", recordId, patient(recordId, "P-1", "900101400013"));
        String marker = id("kafka-marker");
        submit("damumed", marker, patient(marker, "P-1", "900101400013"));

        TestKafka.readUntil(Topics.PATIENTS.topic, HealthRecordEvent.class,
                e -> e.getEnvelope().getSourceRecordId().equals(marker), Duration.ofSeconds(60));
        List<HealthRecordEvent> events = TestKafka.readUntil(Topics.PATIENTS.topic, HealthRecordEvent.class,
                e -> e.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(3));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getEnvelope().getProviderId()).isEqualTo("damumed");
        assertThat(events.get(0).getPatient().getIinStatus()).isEqualTo("VALID");
    }

    @Test
    void anInvalidRecordGoesToTheRejectedTopicWithChannelKafka() {
        String recordId = id("kafka-bad");
        String payload = "{\"recordId\":\"" + recordId + "\",\"type\":\"DEATH\",\"patient\":{\"localId\":\"P-1\"},\"death\":{\"date\":\"2999-01-01\"}}";
        submit("kmis", recordId, payload);
        List<RejectedRecord> rejected = TestKafka.readUntil(Topics.INGEST_REJECTED.topic, RejectedRecord.class,
                r -> r.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(60));
        assertThat(rejected.get(0).getChannel()).isEqualTo("KAFKA");
        assertThat(rejected.get(0).getPayload()).isEqualTo(payload);
        assertThat(rejected.get(0).getErrors().get(0).getCode()).isEqualTo("FUTURE_DATE");
        assertThat(rejected.get(0).getErrors().get(0).getField()).isEqualTo("death.date");
    }

    @Test
    void aProviderWithoutAnActiveKeyCannotSubmitThroughKafka() {
        String recordId = id("intruder");
        submit("intruder", recordId, patient(recordId, "P-1", "900101400013"));
        List<RejectedRecord> rejected = TestKafka.readUntil(Topics.INGEST_REJECTED.topic, RejectedRecord.class,
                r -> r.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(60));
        assertThat(rejected.get(0).getErrors().get(0).getCode()).isEqualTo("UNKNOWN_PROVIDER");
        assertThat(TestKafka.readUntil(Topics.PATIENTS.topic, HealthRecordEvent.class,
                e -> e.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void aRecordNamingAnotherProviderOnAProvidersOwnTopicIsRejectedAsProviderMismatch() {
        String recordId = id("impersonation");
        submit("damumed", "kmis", recordId, patient(recordId, "P-1", "900101400013"));
        List<RejectedRecord> rejected = TestKafka.readUntil(Topics.INGEST_REJECTED.topic, RejectedRecord.class,
                r -> r.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(60));
        assertThat(rejected.get(0).getErrors().get(0).getCode()).isEqualTo("PROVIDER_MISMATCH");
        assertThat(rejected.get(0).getErrors().get(0).getField()).isEqualTo("providerId");
        // counted against the provider whose principal wrote the topic, not the one the record names
        assertThat(rejected.get(0).getEnvelope().getProviderId()).isEqualTo("damumed");
        assertThat(TestKafka.readUntil(Topics.PATIENTS.topic, HealthRecordEvent.class,
                e -> e.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void kafkaIsInTheHealthChecksAndEveryClientInTheMetrics() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        // the record publisher, the intake's consumer and its dead-letter producer, each by its client id
        assertThat(metrics).containsPattern("kafka_producer_[a-z_]+\\{[^}]*client_id=\"ingestion\"")
                .containsPattern("kafka_producer_[a-z_]+\\{[^}]*client_id=\"ingestion-dlq\"")
                .containsPattern("kafka_consumer_[a-z_]+\\{[^}]*client_id=\"ingestion-[0-9]+\"");
    }
}
