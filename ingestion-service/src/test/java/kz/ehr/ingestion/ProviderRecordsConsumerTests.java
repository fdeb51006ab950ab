package kz.ehr.ingestion;

import static kz.ehr.ingestion.TestRecords.id;
import static kz.ehr.ingestion.TestRecords.patient;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

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

/** Kafka-native adapters: provider.records.v1 gets the same validation, routing and idempotency as REST. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_ingestion_test"))
class ProviderRecordsConsumerTests {

    static void submit(String provider, String recordId, String payload) {
        ProviderRecord record = ProviderRecord.newBuilder().setProviderId(provider)
                .setRecordId(recordId).setSubmittedAt(Instant.now()).setPayload(payload).build();
        TestKafka.send(Topics.PROVIDER_RECORDS.topic, provider + ":P-1", EventCodec.of(ProviderRecord.class).encode(record));
    }

    @Test
    void aValidRecordIsPublishedOnceEvenWhenTheAdapterSendsItTwice() {
        String recordId = id("kafka");
        submit("damumed", recordId, patient(recordId, "P-1", "900101400013"));
        submit("damumed", recordId, patient(recordId, "P-1", "900101400013"));
        String marker = id("kafka-marker");
        submit("damumed", marker, patient(marker, "P-1", "900101400013"));

        TestKafka.readUntil(Topics.PATIENTS.topic, HealthRecordEvent.class,
                e -> e.getEnvelope().getSourceRecordId().equals(marker), Duration.ofSeconds(30));
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
                r -> r.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(30));
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
                r -> r.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(30));
        assertThat(rejected.get(0).getErrors().get(0).getCode()).isEqualTo("UNKNOWN_PROVIDER");
        assertThat(TestKafka.readUntil(Topics.PATIENTS.topic, HealthRecordEvent.class,
                e -> e.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(2))).isEmpty();
    }
}
