package kz.ehr.ingestion;

import static io.restassured.RestAssured.given;
import static kz.ehr.ingestion.TestRecords.DAMUMED;
import static kz.ehr.ingestion.TestRecords.encounter;
import static kz.ehr.ingestion.TestRecords.id;
import static kz.ehr.ingestion.TestRecords.patient;
import static kz.ehr.ingestion.TestRecords.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.RejectedRecord;
import kz.ehr.events.Topics;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestKafka;

/** Idempotency, identity warnings, rejections and hostile input through the real broker and database. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_ingestion_test"))
class IngestionRulesTests {
    @Inject
    AgroalDataSource db;

    @Test
    void theSameContentIsADuplicateAndChangedContentIsTheNextVersion() throws Exception {
        String recordId = id("enc");
        String v1 = encounter(recordId, "P-1", "850315300019", "I10");
        post(DAMUMED, v1).statusCode(200).body("accepted", equalTo(1)).body("duplicates", equalTo(0));
        // same content, fields reordered and reformatted: still the same record
        String reordered = "{ \"type\": \"ENCOUNTER\", " + v1.substring(1).replace("\"type\":\"ENCOUNTER\",", "");
        post(DAMUMED, v1, reordered).statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(2));
        post(DAMUMED, encounter(recordId, "P-1", "850315300019", "I11")).statusCode(200)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(0));

        EventCodec<HealthRecordEvent> codec = EventCodec.of(HealthRecordEvent.class);
        List<HealthRecordEvent> all = TestKafka.readRawUntil(Topics.CARE.topic, r -> {
                    HealthRecordEvent e = codec.decode(r.value());
                    return e.getEnvelope().getSourceRecordId().equals(recordId) && e.getRecordVersion() == 2;
                }, Duration.ofSeconds(30)).stream().map(r -> codec.decode(r.value()))
                .filter(e -> e.getEnvelope().getSourceRecordId().equals(recordId)).toList();
        assertThat(all).extracting(HealthRecordEvent::getRecordVersion).containsExactly(1, 2);
        assertThat(all.get(1).getEncounter().getDiagnoses()).containsExactly("I11");
        assertThat(all.get(0).getEnvelope().getEventId()).isNotEqualTo(all.get(1).getEnvelope().getEventId());
        assertThat(version(recordId)).isEqualTo(2);
    }

    @Test
    void anotherProviderMayUseTheSameRecordIdWithoutColliding() {
        String recordId = id("shared");
        post(DAMUMED, patient(recordId, "P-1", "900101400013")).statusCode(200).body("accepted", equalTo(1));
        post(TestRecords.KMIS, patient(recordId, "P-1", "900101400013")).statusCode(200).body("accepted", equalTo(1));
    }

    @Test
    void anInvalidIinIsAcceptedWithAWarningAndKeyedByProviderAndLocalId() {
        String recordId = id("bad-iin");
        post(DAMUMED, encounter(recordId, "P-9", "850315300018", "I10")).statusCode(200)
                .body("accepted", equalTo(1))
                .body("warnings[0].recordId", equalTo(recordId))
                .body("warnings[0].warnings[0].code", equalTo("IIN_CHECKSUM"))
                .body("warnings[0].warnings[0].field", equalTo("patient.iin"));
        EventCodec<HealthRecordEvent> codec = EventCodec.of(HealthRecordEvent.class);
        List<ConsumerRecord<String, byte[]>> seen = TestKafka.readRawUntil(Topics.CARE.topic,
                r -> codec.decode(r.value()).getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(30));
        ConsumerRecord<String, byte[]> last = seen.get(seen.size() - 1);
        assertThat(last.key()).isEqualTo("damumed:P-9");
        HealthRecordEvent e = codec.decode(last.value());
        assertThat(e.getPatient().getIinStatus()).isEqualTo("INVALID");
        assertThat(e.getWarnings()).containsExactly("IIN_CHECKSUM");
        assertThat(e.getPatient().getPhone()).isEqualTo("+77011234567");
    }

    @Test
    void aRejectedRecordGoesToTheRejectedTopicWithItsPayloadAndEveryReason() {
        String recordId = id("rej");
        String bad = encounter(recordId, "P-1", "850315300019", "hypertension").replace("\"kind\":\"VISIT\"", "\"kind\":\"SURGERY\"");
        post(DAMUMED, patient(id("ok"), "P-2", "900101400013"), bad).statusCode(200)
                .body("accepted", equalTo(1))
                .body("rejected[0].index", equalTo(1))
                .body("rejected[0].recordId", equalTo(recordId))
                .body("rejected[0].errors.code", hasItem("INVALID_ENUM"))
                .body("rejected[0].errors.code", hasItem("ICD10_FORMAT"))
                .body("rejected[0].errors.field", hasItem("encounter.diagnoses[0]"));
        List<RejectedRecord> rejected = TestKafka.readUntil(Topics.INGEST_REJECTED.topic, RejectedRecord.class,
                r -> r.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(30));
        assertThat(rejected).hasSize(1);
        RejectedRecord r = rejected.get(0);
        assertThat(r.getPayload()).isEqualTo(bad);
        assertThat(r.getChannel()).isEqualTo("REST");
        assertThat(r.getIndex()).isEqualTo(1);
        assertThat(r.getErrors()).extracting(kz.ehr.events.RecordError::getCode).contains("INVALID_ENUM", "ICD10_FORMAT");
    }

    @Test
    void wrongTypesAreRejectedWithTheFieldAtFault() {
        post(DAMUMED, "{\"recordId\":\"t-1\",\"type\":\"PATIENT\",\"patient\":{\"localId\":7,\"birthDate\":19850315}}")
                .statusCode(200).body("accepted", equalTo(0))
                .body("rejected[0].errors.field", hasItem("patient.localId"))
                .body("rejected[0].errors.field", hasItem("patient.birthDate"))
                .body("rejected[0].errors.code", hasItem("WRONG_TYPE"));
    }

    @Test
    void aBodyOverTheByteLimitIs413WithTheLimit() {
        byte[] body = new byte[2 * 1024 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        post(DAMUMED, body).statusCode(413).contentType("application/problem+json")
                .body("code", equalTo("BATCH_TOO_LARGE")).body("detail", containsString("2097152"));
    }

    @Test
    void aBatchOverTheRecordLimitIs413AndNothingIsPublished() throws Exception {
        String marker = id("over");
        String[] lines = new String[2001];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = patient(marker + "-" + i, "P-" + i, "900101400013");
        }
        post(DAMUMED, lines).statusCode(413).body("code", equalTo("BATCH_TOO_LARGE")).body("detail", containsString("2000"));
        assertThat(version(marker + "-0")).isNull();
    }

    @Test
    void invalidUtf8RejectsOnlyItsLine() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(patient(id("utf"), "P-1", "900101400013").replace("Сейткали", "Сейт").getBytes(StandardCharsets.UTF_8));
        body.write('\n');
        body.write("{\"recordId\":\"u-2\",\"type\":\"PATIENT\",\"patient\":{\"localId\":\"P-2\",\"lastName\":\"".getBytes(StandardCharsets.UTF_8));
        body.write(new byte[] {(byte) 0xD0, (byte) 0x41, (byte) 0xFF});
        body.write("\"}}\n".getBytes(StandardCharsets.UTF_8));
        post(DAMUMED, body.toByteArray()).statusCode(200).body("accepted", equalTo(1))
                .body("rejected[0].index", equalTo(1)).body("rejected[0].errors[0].code", equalTo("INVALID_UTF8"));
    }

    @Test
    void deeplyNestedJsonAndHugeStringsAreRejectedPerLine() {
        String deep = "{\"recordId\":\"d-1\",\"type\":\"PATIENT\",\"patient\":" + "{\"x\":".repeat(200) + "1" + "}".repeat(200) + "}";
        String huge = patient(id("huge"), "P-1", "900101400013").replace("Сейткали", "Щ".repeat(600_000));
        post(DAMUMED, deep, huge, patient(id("fine"), "P-3", "900101400013")).statusCode(200)
                .body("accepted", equalTo(1))
                .body("rejected[0].errors[0].code", equalTo("TOO_DEEP"))
                .body("rejected[1].errors[0].code", equalTo("TOO_LONG"))
                .body("rejected[1].errors[0].field", equalTo("patient.lastName"));
    }

    @Test
    void scriptAndSqlInNamesAreStoredAndEchoedAsPlainData() throws Exception {
        String name = "<script>alert('x')</script>\"; DROP TABLE source_record; --";
        String json = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(name);
        String accepted = id("xss");
        String rejected = id("xss-rej");
        String good = patient(accepted, "P-1", "900101400013").replace("\"Сейткали\"", json);
        String bad = patient(rejected, "P-1", "900101400013").replace("\"Сейткали\"", json).replace("\"PATIENT\"", "\"ROBBERY\"");
        post(DAMUMED, good, bad).statusCode(200).contentType("application/json").body("accepted", equalTo(1))
                .body("rejected[0].recordId", equalTo(rejected));
        List<HealthRecordEvent> events = TestKafka.readUntil(Topics.PATIENTS.topic, HealthRecordEvent.class,
                e -> e.getEnvelope().getSourceRecordId().equals(accepted), Duration.ofSeconds(30));
        assertThat(events.get(0).getPatient().getLastName()).isEqualTo(name);
        assertThat(version(accepted)).isEqualTo(1); // the table is still there
        given().header("Authorization", DAMUMED).when().get("/api/v1/providers/damumed/rejections?limit=5")
                .then().statusCode(200).contentType("application/json")
                .body("items.find { it.recordId == '" + rejected + "' }.payload", containsString(json));
    }

    @Test
    void aMalformedJsonArrayIsABadRequest() {
        given().header("Authorization", DAMUMED).contentType("application/json").body("[{\"recordId\":1},")
                .when().post("/api/v1/records")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("MALFORMED_BATCH"))
                .body("field", nullValue());
    }

    Integer version(String recordId) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT version FROM source_record WHERE record_id = ?")) {
            ps.setString(1, recordId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }
}
