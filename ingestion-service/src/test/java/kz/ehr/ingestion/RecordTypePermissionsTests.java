package kz.ehr.ingestion;

import static kz.ehr.ingestion.TestRecords.DAMUMED;
import static kz.ehr.ingestion.TestRecords.KMIS;
import static kz.ehr.ingestion.TestRecords.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

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

/**
 * DEATH and DISPENSARY records only from the providers configured for them (the test profile permits damumed and
 * fhir-*, not kmis), on the JSON path and the Kafka intake; the FHIR path is in FhirIntakeTests.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_ingestion_test"))
class RecordTypePermissionsTests {

    static String death(String recordId, String localId) {
        return """
                {"recordId":"%s","type":"DEATH","patient":{"localId":"%s","iin":"900101400013"},"death":{"date":"2025-03-05"}}"""
                .formatted(recordId, localId);
    }

    static String dispensary(String recordId, String localId) {
        return """
                {"recordId":"%s","type":"DISPENSARY","patient":{"localId":"%s","iin":"900101400013"},\
                "dispensary":{"register":"PSYCHIATRIC","status":"REGISTERED","date":"2025-03-05"}}"""
                .formatted(recordId, localId);
    }

    @Test
    void aProviderNotPermittedToReportDeathsOrRegistrationsIsRejectedAtTheTypeAndNothingIsPublished() {
        String deathId = id("death-by-kmis");
        String registrationId = id("psy-by-kmis");
        TestRecords.post(KMIS, death(deathId, "P-1"), dispensary(registrationId, "P-1"))
                .statusCode(200)
                .body("accepted", equalTo(0))
                .body("rejected[0].errors[0].code", equalTo("TYPE_NOT_PERMITTED"))
                .body("rejected[0].errors[0].field", equalTo("type"))
                .body("rejected[1].errors[0].code", equalTo("TYPE_NOT_PERMITTED"))
                .body("rejected[1].errors[0].field", equalTo("type"));

        String permitted = id("death-by-damumed");
        TestRecords.post(DAMUMED, death(permitted, "P-1")).statusCode(200).body("accepted", equalTo(1));
        List<HealthRecordEvent> registry = TestKafka.readUntil(Topics.REGISTRY.topic, HealthRecordEvent.class,
                e -> e.getEnvelope().getSourceRecordId().equals(permitted), Duration.ofSeconds(60));
        assertThat(registry).extracting(e -> e.getEnvelope().getSourceRecordId()).doesNotContain(deathId, registrationId);
        assertThat(registry.get(registry.size() - 1).getDeath().getDate()).hasToString("2025-03-05");
    }

    @Test
    void theKafkaIntakeSendsANotPermittedRecordToTheRejectedTopic() {
        String recordId = id("kafka-psy-by-kmis");
        String payload = dispensary(recordId, "P-2");
        ProviderRecord record = ProviderRecord.newBuilder().setProviderId("kmis").setRecordId(recordId)
                .setSubmittedAt(Instant.now()).setPayload(payload).build();
        TestKafka.send(Topics.PROVIDER_RECORDS.topic, "kmis:P-2", EventCodec.of(ProviderRecord.class).encode(record));

        List<RejectedRecord> rejected = TestKafka.readUntil(Topics.INGEST_REJECTED.topic, RejectedRecord.class,
                r -> r.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(60));
        RejectedRecord r = rejected.get(rejected.size() - 1);
        assertThat(r.getChannel()).isEqualTo("KAFKA");
        assertThat(r.getPayload()).isEqualTo(payload);
        assertThat(r.getErrors()).extracting(e -> e.getCode() + "@" + e.getField()).containsExactly("TYPE_NOT_PERMITTED@type");
    }
}
