package kz.ehr.ingestion.publish;

import static kz.ehr.ingestion.TestRecords.DAMUMED;
import static kz.ehr.ingestion.TestRecords.id;
import static kz.ehr.ingestion.TestRecords.patient;
import static kz.ehr.ingestion.TestRecords.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.local.LocalKafkaBroker;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestKafka;

/** Kafka cannot take the batch: 503 with Retry-After, nothing reported accepted, nothing recorded. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_ingestion_test"))
class KafkaOutageTests {
    @Inject
    RecordPublisher publisher;
    @Inject
    AgroalDataSource db;
    @Inject
    KafkaClients kafka;

    @Test
    void whenKafkaIsDownTheBatchIs503AndAResendAfterwardsIsAcceptedNotDuplicate() throws Exception {
        String recordId = id("outage");
        KafkaClients dead = kafka.with(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + LocalKafkaBroker.freePort(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000));
        KafkaProducer<String, byte[]> original = publisher.swapProducer(
                dead.producer("ingestion-outage-test", new StringSerializer(), new ByteArraySerializer()));
        try {
            post(DAMUMED, patient(recordId, "P-1", "900101400013"), "{bad line").statusCode(503)
                    .header("Retry-After", notNullValue())
                    .body("code", equalTo("KAFKA_UNAVAILABLE"));
        } finally {
            publisher.swapProducer(original).close(Duration.ZERO);
        }
        assertThat(recorded(recordId)).isZero();

        post(DAMUMED, patient(recordId, "P-1", "900101400013")).statusCode(200)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(0));
        assertThat(recorded(recordId)).isEqualTo(1);
        assertThat(TestKafka.readUntil(Topics.PATIENTS.topic, HealthRecordEvent.class,
                e -> e.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(30))).hasSize(1);
    }

    int recorded(String recordId) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM source_record WHERE record_id = ?")) {
            ps.setString(1, recordId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
