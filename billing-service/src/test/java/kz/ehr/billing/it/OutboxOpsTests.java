package kz.ehr.billing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import kz.ehr.events.outbox.Outbox;
import kz.ehr.events.outbox.OutboxRow;
import kz.ehr.events.Topics;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/** The shared outbox relay in the running service: a row Kafka refuses is set aside, visible to ops and in metrics. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class OutboxOpsTests {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void aRowKafkaRefusesIsSetAsideAndShownToOpsWithItsCodeAndNoKey() throws Exception {
        String eventId = "refused-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            // a topic billing may not write (the broker's ACLs): it can never go out, and must not hold up the rows behind it
            Outbox.add(c, List.of(new OutboxRow(eventId, Topics.MPI_LINKS.topic, "100140000001",
                    "x".getBytes(StandardCharsets.UTF_8))));
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).get("/api/v1/ops/outbox?limit=1000")
                        .then().statusCode(200).extract().jsonPath().getList("setAsideRows.eventId").contains(eventId));

        JsonPath status = given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).get("/api/v1/ops/outbox?limit=1000")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> rows = status.getList("setAsideRows");
        Map<String, Object> row = rows.stream().filter(r -> eventId.equals(r.get("eventId"))).findFirst().orElseThrow();
        assertThat(row).containsEntry("errorCode", "TOPIC_NOT_AUTHORIZED").containsEntry("topic", Topics.MPI_LINKS.topic)
                .doesNotContainKey("key").doesNotContainKey("eventKey");
        assertThat(status.getLong("setAside")).isGreaterThanOrEqualTo(1);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("(?m)^ehr_outbox_set_aside(\\{[^}]*\\})? [1-9]");
        given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).get("/api/v1/ops/outbox?limit=5000")
                .then().statusCode(400).body("code", org.hamcrest.Matchers.equalTo("INVALID_LIMIT"));
    }

    @Test
    void aRowSetAsideAsTooLargeIsRequeuedByOpsAfterTheFixAndThenPublishedOnce() throws Exception {
        String eventId = "too-large-" + UUID.randomUUID();
        try (org.apache.kafka.clients.admin.Admin admin = kz.ehr.testsupport.TestPlatform.kafkaAdmin().admin()) {
            setMaxMessageBytes(admin, "2000"); // the broker refuses the row
            try (Connection c = dataSource.getConnection()) {
                byte[] incompressible = new byte[20_000]; // the relay's producer compresses: zeros would fit
                new java.util.Random(7).nextBytes(incompressible);
                Outbox.add(c, List.of(new OutboxRow(eventId, Topics.BILLING_EVENTS.topic, "100140000001", incompressible)));
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> setAsideRow(eventId) != null);
            Map<String, Object> row = setAsideRow(eventId);
            assertThat(row).containsEntry("errorCode", "RECORD_TOO_LARGE");
            long id = ((Number) row.get("id")).longValue();

            given().auth().oauth2(TestTokens.of("dana", Roles.REVIEWER)).post("/api/v1/ops/outbox/" + id + "/requeue")
                    .then().statusCode(403);
            setMaxMessageBytes(admin, "1048588"); // the fix
            given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).header("X-Purpose", "topic limit raised")
                    .post("/api/v1/ops/outbox/" + id + "/requeue").then().statusCode(200);
            given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).post("/api/v1/ops/outbox/" + id + "/requeue")
                    .then().statusCode(404).body("code", org.hamcrest.Matchers.equalTo("NOT_SET_ASIDE"));

            List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> sent = kz.ehr.testsupport.TestKafka.readRawUntil(
                    Topics.BILLING_EVENTS.topic, r -> r.value() != null && r.value().length == 20_000, Duration.ofSeconds(90));
            assertThat(sent.stream().filter(r -> r.value() != null && r.value().length == 20_000)).as("published once").hasSize(1);
            assertThat(setAsideRow(eventId)).isNull();
            given().auth().oauth2(TestTokens.of("olzhas", Roles.AUDITOR)).get("/api/v1/audit?action=REQUEUE_OUTBOX_ROW").then()
                    .statusCode(200).body("items.findAll { it.resource == 'outbox/" + id + "' }.purpose",
                            org.hamcrest.Matchers.hasItem("topic limit raised"));
        }
    }

    private static Map<String, Object> setAsideRow(String eventId) {
        List<Map<String, Object>> rows = given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).get("/api/v1/ops/outbox?limit=1000")
                .then().statusCode(200).extract().jsonPath().getList("setAsideRows");
        return rows.stream().filter(r -> eventId.equals(r.get("eventId"))).findFirst().orElse(null);
    }

    private static void setMaxMessageBytes(org.apache.kafka.clients.admin.Admin admin, String bytes) throws Exception {
        var topic = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
                Topics.BILLING_EVENTS.topic);
        admin.incrementalAlterConfigs(Map.of(topic, List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                new org.apache.kafka.clients.admin.ConfigEntry("max.message.bytes", bytes),
                org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        // the broker applies topic configs asynchronously: wait until it reports the value
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> bytes.equals(
                admin.describeConfigs(List.of(topic)).all().get(30, java.util.concurrent.TimeUnit.SECONDS).get(topic)
                        .get("max.message.bytes").value()));
    }
}
