package kz.ehr.billing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import kz.ehr.events.Encounter;
import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaPrincipals;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestPlatform;
import kz.ehr.testsupport.TestSql;
import kz.ehr.testsupport.TestTokens;

/**
 * The shared dead-letter endpoint in the running billing service, against the real broker and database: what its
 * consumer dead-lettered is listed with its reason, shown (payload) only with a purpose and audited, and replayed
 * through billing's own handler, once however often it is replayed.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class DeadLetterOpsTests {
    static final String DLQ = KafkaPrincipals.Service.BILLING.deadLetterTopic();
    /** A person no other test of this database uses. */
    static final String IIN = kz.ehr.identity.Iin.issue(java.time.LocalDate.of(1977, 7, 17), "F", 4711);

    @Inject
    AgroalDataSource dataSource;

    @Test
    void anUndecodableMessageIsListedWithItsReasonShownOnlyWithAPurposeAndReplayingItFailsAgainWithoutADuplicate() throws Exception {
        RecordMetadata poison = send(Topics.CARE.topic, "poison-" + System.nanoTime(), "not avro".getBytes(StandardCharsets.UTF_8), null);
        Map<String, Object> letter = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> find(poison), java.util.Objects::nonNull);
        assertThat(letter).containsEntry("consumerGroup", "billing-service").containsEntry("errorCode", "UNDECODABLE")
                .doesNotContainKey("key").doesNotContainKey("payload");
        String id = (String) letter.get("id");

        given().auth().oauth2(ops()).get("/api/v1/ops/dead-letters/" + id).then().statusCode(400)
                .body("code", equalTo("PURPOSE_REQUIRED"));
        given().auth().oauth2(TestTokens.of("dana", Roles.REVIEWER)).header("X-Purpose", "look")
                .get("/api/v1/ops/dead-letters/" + id).then().statusCode(403);
        JsonPath shown = given().auth().oauth2(ops()).header("X-Purpose", "incident 7: why did billing drop it")
                .get("/api/v1/ops/dead-letters/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(shown.getString("payloadBase64")).isEqualTo("bm90IGF2cm8=");
        assertThat(shown.getString("decodeError")).contains("UNDECODABLE");
        given().auth().oauth2(TestTokens.of("olzhas", Roles.AUDITOR))
                .get("/api/v1/audit?action=READ_DEAD_LETTER&who=aigerim").then().statusCode(200)
                .body("items.find { it.resource == '" + DLQ + "/" + id + "' }.purpose", equalTo("incident 7: why did billing drop it"));

        JsonPath replay = given().auth().oauth2(ops()).post("/api/v1/ops/dead-letters/replay?id=" + id)
                .then().statusCode(200).extract().jsonPath();
        assertThat(replay.getList("replayed")).isEmpty();
        assertThat(replay.getString("failed[0].errorCode")).isEqualTo("UNDECODABLE");
        assertThat(deadLettersOf(poison)).as("a failed replay is not dead-lettered again").isEqualTo(1);
        given().auth().oauth2(ops()).post("/api/v1/ops/dead-letters/replay").then().statusCode(400)
                .body("code", equalTo("NOTHING_SELECTED"));
    }

    @Test
    void aReplayedVisitReachesBillingsProjectionOnceHoweverOftenAndFromHoweverManyDeadLettersItIsReplayed() throws Exception {
        HealthRecordEvent visit = Records.event("ENCOUNTER", PatientInfo.newBuilder().setLocalId("L-" + IIN).setIin(IIN)
                        .setIinStatus("VALID").build())
                .setEncounter(Encounter.newBuilder().setPolyclinicBin("100140000005").setDoctorId("D-DLQ")
                        .setStart(Instant.parse("2025-10-09T05:00:00Z")).setEnd(Instant.parse("2025-10-09T05:10:00Z"))
                        .setKind("VISIT").setServices(List.of("A01")).setReferral(false).build()).build();
        byte[] bytes = EventCodec.of(HealthRecordEvent.class).encode(visit);
        // two dead letters of the same event, as billing's loop writes them (say a rule since fixed refused it twice)
        RecordMetadata first = send(DLQ, IIN, bytes, headers(Topics.CARE.topic, 4, 900_001));
        RecordMetadata second = send(DLQ, IIN, bytes, headers(Topics.CARE.topic, 4, 900_002));
        String firstId = first.partition() + "-" + first.offset();
        String secondId = second.partition() + "-" + second.offset();
        assertThat(eventsOf(IIN)).isZero();

        JsonPath once = given().auth().oauth2(ops()).header("X-Purpose", "fix deployed")
                .post("/api/v1/ops/dead-letters/replay?id=" + firstId).then().statusCode(200).extract().jsonPath();
        assertThat(once.getList("replayed")).containsExactly(firstId);
        assertThat(eventsOf(IIN)).as("applied by billing's handler").isEqualTo(1);

        JsonPath again = given().auth().oauth2(ops()).post("/api/v1/ops/dead-letters/replay?id=" + firstId)
                .then().statusCode(200).extract().jsonPath();
        assertThat(again.getList("replayed")).isEmpty();
        assertThat(again.getList("alreadyReplayed")).containsExactly(firstId);
        // the second dead letter names another source offset, so the ledger lets it through: billing's handler
        // itself must see the event id it already applied, and change nothing
        JsonPath other = given().auth().oauth2(ops()).post("/api/v1/ops/dead-letters/replay?sourceTopic=" + Topics.CARE.topic
                + "&sourcePartition=4&fromOffset=900002&toOffset=900002").then().statusCode(200).extract().jsonPath();
        assertThat(other.getList("replayed")).containsExactly(secondId);
        assertThat(eventsOf(IIN)).as("one event, one visit: nothing counted twice").isEqualTo(1);
        assertThat(visitsOf(IIN)).isEqualTo(1);

        JsonPath listed = given().auth().oauth2(ops()).get("/api/v1/ops/dead-letters?sourceTopic=" + Topics.CARE.topic)
                .then().statusCode(200).extract().jsonPath();
        assertThat(listed.getString("topic")).isEqualTo(DLQ);
        assertThat(listed.getString("deadLetters.find { it.id == '" + firstId + "' }.replayedBy")).isEqualTo("aigerim");
        given().auth().oauth2(TestTokens.of("olzhas", Roles.AUDITOR)).get("/api/v1/audit?action=REPLAY_DEAD_LETTERS").then()
                .statusCode(200).body("items.findAll { it.resource == '" + DLQ + "/" + firstId + "' }.purpose",
                        org.hamcrest.Matchers.hasItem("fix deployed"));
    }

    private static String ops() {
        return TestTokens.of("aigerim", Roles.OPS);
    }

    /** The listed dead letter of {@code source} (billing's, from ehr.care.v1), or null while there is none. */
    private static Map<String, Object> find(RecordMetadata source) {
        List<Map<String, Object>> letters = given().auth().oauth2(ops())
                .get("/api/v1/ops/dead-letters?sourceTopic=" + source.topic() + "&limit=1000").then().statusCode(200)
                .extract().jsonPath().getList("deadLetters");
        return letters.stream().filter(l -> ((Number) l.get("sourcePartition")).intValue() == source.partition()
                && ((Number) l.get("sourceOffset")).longValue() == source.offset()).findFirst().orElse(null);
    }

    private static long deadLettersOf(RecordMetadata source) {
        return given().auth().oauth2(ops()).get("/api/v1/ops/dead-letters?sourceTopic=" + source.topic() + "&limit=1000")
                .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("deadLetters").stream()
                .filter(l -> ((Number) l.get("sourcePartition")).intValue() == source.partition()
                        && ((Number) l.get("sourceOffset")).longValue() == source.offset()).count();
    }

    private static RecordHeaders headers(String topic, int partition, long offset) {
        RecordHeaders h = new RecordHeaders();
        h.add("x-original-topic", topic.getBytes(StandardCharsets.UTF_8));
        h.add("x-original-partition", Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        h.add("x-original-offset", Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        h.add("x-consumer-group", "billing-service".getBytes(StandardCharsets.UTF_8));
        h.add("x-error-code", "CONSTRAINT_VIOLATION".getBytes(StandardCharsets.UTF_8));
        h.add("x-error-reason", "PSQLException[23514 constraint=visit_rule]".getBytes(StandardCharsets.UTF_8));
        return h;
    }

    private static RecordMetadata send(String topic, String key, byte[] value, RecordHeaders headers) throws Exception {
        try (KafkaProducer<String, byte[]> producer = TestPlatform.kafkaAdmin().producer("dlq-ops-test", new StringSerializer(),
                new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get(30, TimeUnit.SECONDS);
        }
    }

    private long eventsOf(String iin) throws Exception {
        return count("SELECT count(*) FROM person_event WHERE person_key = ?", iin);
    }

    private long visitsOf(String iin) throws Exception {
        return count("SELECT count(*) FROM visit WHERE person_key = ?", iin);
    }

    private long count(String sql, String arg) throws Exception {
        return TestSql.count(dataSource, sql, arg);
    }
}
