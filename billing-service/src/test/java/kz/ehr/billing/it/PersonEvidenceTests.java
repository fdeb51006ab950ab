package kz.ehr.billing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import kz.ehr.billing.projection.PersonEvents;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/** The raw evidence about a person comes in pages with a total, however long the person's history. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class PersonEvidenceTests {
    static final String PERSON = "770101300123";

    @Inject
    AgroalDataSource dataSource;

    static RequestSpecification ops() {
        return given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).header("X-Purpose", "evidence paging test");
    }

    @Test
    void aPersonWith250EventsIsReadInPagesThatTogetherHoldEachEventOnce() throws SQLException {
        List<Delivery<HealthRecordEvent>> batch = new ArrayList<>();
        Instant first = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < 250; i++) {
            String id = UUID.randomUUID().toString();
            HealthRecordEvent e = HealthRecordEvent.newBuilder()
                    .setEnvelope(Envelopes.of(id, "PATIENT", "evidence", "rec-" + id, first.plusSeconds(i / 2), Instant.now(), null))
                    .setRecordType("PATIENT").setPatient(PatientInfo.newBuilder().setLocalId("L").setIin(PERSON).setIinStatus("VALID").build())
                    .build();
            batch.add(new Delivery<>("ehr.patients.v1", 0, i, PERSON, e, new byte[0]));
        }
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                PersonEvents.store(c, batch);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        Set<String> seen = new HashSet<>();
        String after = null;
        int pages = 0;
        do {
            RequestSpecification request = ops().queryParam("limit", 100);
            if (after != null) {
                request = request.queryParam("after", after);
            }
            JsonPath page = request.get("/api/v1/persons/{key}/events", PERSON).then().statusCode(200).extract().jsonPath();
            assertThat(page.getLong("total")).isEqualTo(250);
            List<String> ids = page.getList("events.eventId");
            assertThat(ids).hasSizeLessThanOrEqualTo(100);
            ids.forEach(id -> assertThat(seen.add(id)).as(id).isTrue());
            after = page.getString("nextCursor");
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(250);
    }

    @Test
    void aCursorThatIsNoCursorIsRefusedWithTheFieldAtFault() {
        ops().queryParam("after", "yesterday").get("/api/v1/persons/{key}/events", PERSON).then().statusCode(400)
                .body("code", equalTo("INVALID_PARAMETER")).body("field", equalTo("after"));
        ops().queryParam("limit", 0).get("/api/v1/persons/{key}/events", PERSON).then().statusCode(400)
                .body("code", equalTo("INVALID_LIMIT")).body("field", equalTo("limit"));
    }

    /** Jakarta REST answers a query parameter it cannot convert with an empty 404; every service answers a problem. */
    @Test
    void aNumberThatIsNoNumberIsRefusedWithTheFieldAtFaultNotNotFound() {
        ops().queryParam("limit", "ten").get("/api/v1/persons/{key}/events", PERSON).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("INVALID_LIMIT"))
                .body("field", equalTo("limit")).body("detail", containsString("\"ten\""));
        ops().queryParam("limit", "99999999999").get("/api/v1/fraud/flags").then().statusCode(400)
                .body("code", equalTo("INVALID_LIMIT")).body("field", equalTo("limit"));
        ops().queryParam("version", "1.5").get("/api/v1/capitation/2026-01").then().statusCode(400)
                .body("code", equalTo("INVALID_VERSION")).body("field", equalTo("version"));
        ops().queryParam("limit", " 5 ").get("/api/v1/fraud/flags").then().statusCode(200);
    }

    /** Quarkus REST answers a body it cannot read with an empty 400; billing answers a problem naming what is wrong. */
    @Test
    void aBodyThatIsNotJsonOrOfTheWrongShapeIsRefusedWithACode() {
        java.util.function.Supplier<io.restassured.specification.RequestSpecification> reviewer = () -> given().auth()
                .oauth2(TestTokens.of("aigerim", Roles.REVIEWER)).header("X-Purpose", "body test").contentType("application/json");
        reviewer.get().body("{\"decision\": ").post("/api/v1/fraud/flags/{id}/decision", "no-such-flag").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("MALFORMED_JSON"))
                .body("detail", containsString("line 1"));
        reviewer.get().body("{\"decision\": [\"CONFIRMED\"]}").post("/api/v1/fraud/flags/{id}/decision", "no-such-flag").then()
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("WRONG_TYPE"))
                .body("field", equalTo("decision"));
        // a refusal that is not about the body keeps its own answer
        reviewer.get().body("{\"decision\": \"CONFIRMED\", \"comment\": \"x\"}").post("/api/v1/fraud/flags/{id}/decision", "no-such-flag")
                .then().statusCode(404).body("code", equalTo("FLAG_NOT_FOUND"));
        given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).get("/api/v1/no-such-endpoint").then().statusCode(404);
        // a body in a media type the endpoint does not read, or an answer the caller does not accept: a problem, not an empty answer
        reviewer.get().contentType("text/plain").body("CONFIRMED").post("/api/v1/fraud/flags/{id}/decision", "no-such-flag").then()
                .statusCode(415).contentType("application/problem+json").body("status", equalTo(415))
                .body("code", equalTo("UNSUPPORTED_MEDIA_TYPE")).body("field", equalTo("Content-Type"));
        given().auth().oauth2(TestTokens.of("aigerim", Roles.AUDITOR)).accept("application/xml").get("/api/v1/audit").then()
                .statusCode(406).body("status", equalTo(406)).body("code", equalTo("NOT_ACCEPTABLE")).body("field", equalTo("Accept"));
    }
}
