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
}
