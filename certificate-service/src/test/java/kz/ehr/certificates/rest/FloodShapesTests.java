package kz.ehr.certificates.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import kz.ehr.certificates.Records;
import kz.ehr.events.Death;
import kz.ehr.events.Encounter;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestKafka;

/**
 * Issue #14's flood shapes for certificates, at a smaller size than the national one: a person whose MIS sent
 * thousands of visits (their history is streamed, never held whole), and one batch of deaths (each certificate of a
 * dead person revoked once, nobody else's).
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class FloodShapesTests {
    static final Duration DEADLINE = Duration.ofSeconds(180);

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aPersonWithTwentyThousandVisitsStillGetsACertificate() throws Exception {
        String iin = Records.newIin();
        Records.patient(iin);
        Records.exam(iin, "DRIVER", "FIT", Records.today().minusDays(10));
        int visits = 20_000;
        List<Map.Entry<String, HealthRecordEvent>> flood = new ArrayList<>(visits);
        Instant start = Records.today().minusDays(1).atStartOfDay(Records.ZONE).toInstant();
        for (int i = 0; i < visits; i++) {
            flood.add(Map.entry(iin, Records.event("ENCOUNTER", "damumed", "P-" + iin, iin)
                    .setEncounter(Encounter.newBuilder().setPolyclinicBin("990340000013").setDoctorId("D-" + (i % 40))
                            .setStart(start.plusSeconds(i)).setKind("VISIT").setDiagnoses(List.of("J06.9")).build())
                    .build()));
        }
        TestKafka.sendAll(Topics.CARE.topic, flood);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> count("SELECT count(*) FROM person_event WHERE person_key = ?", iin) >= visits + 2);

        var issued = CertificateLifecycleTests.issue(iin, "F083");

        assertThat(issued.statusCode()).as(issued.asString()).isEqualTo(201);
        assertThat(issued.jsonPath().getString("conclusion")).isEqualTo("FIT");

        // staff read the evidence a page at a time, never the whole history in one answer
        var page = CertificateLifecycleTests.ops().when().get("/api/v1/persons/" + iin + "/events?limit=500").then().statusCode(200)
                .extract().jsonPath();
        assertThat(page.getLong("total")).isEqualTo(visits + 2);
        assertThat(page.getList("events")).hasSize(500);
        var next = CertificateLifecycleTests.ops().queryParam("after", page.getString("nextCursor"))
                .when().get("/api/v1/persons/" + iin + "/events").then().statusCode(200).extract().jsonPath();
        assertThat(next.getList("events")).hasSize(100);
        assertThat(next.getString("events[0].eventId")).isNotIn(page.getList("events.eventId"));
        CertificateLifecycleTests.ops().queryParam("after", "yesterday").when().get("/api/v1/persons/" + iin + "/events")
                .then().statusCode(400).body("code", org.hamcrest.Matchers.equalTo("INVALID_PARAMETER"))
                .body("field", org.hamcrest.Matchers.equalTo("after"));
        CertificateLifecycleTests.ops().queryParam("limit", 0).when().get("/api/v1/persons/" + iin + "/events")
                .then().statusCode(400).body("code", org.hamcrest.Matchers.equalTo("INVALID_LIMIT"));
        // a number that is no number: the field at fault, not Jakarta REST's empty 404 (NumberParams)
        CertificateLifecycleTests.ops().queryParam("limit", "ten").when().get("/api/v1/persons/" + iin + "/events")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.equalTo("INVALID_LIMIT")).body("field", org.hamcrest.Matchers.equalTo("limit"));
        CertificateLifecycleTests.ops().queryParam("limit", "ten").when().get("/api/v1/ops/dead-letters")
                .then().statusCode(400).body("code", org.hamcrest.Matchers.equalTo("INVALID_LIMIT"));
        // a body that is not JSON, or JSON of the wrong shape: a problem naming it, not Quarkus REST's empty 400
        io.restassured.RestAssured.given().contentType("application/json").body("{\"token\": ").post("/api/v1/verifications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.equalTo("MALFORMED_JSON"));
        io.restassured.RestAssured.given().contentType("application/json").body("{\"token\": [\"a\"]}").post("/api/v1/verifications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.equalTo("WRONG_TYPE")).body("field", org.hamcrest.Matchers.equalTo("token"));
        // a body in a media type the endpoint does not read, or an answer the caller does not accept: a problem too
        io.restassured.RestAssured.given().contentType("text/plain").body("eyJ").post("/api/v1/verifications")
                .then().statusCode(415).contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.equalTo("UNSUPPORTED_MEDIA_TYPE"))
                .body("field", org.hamcrest.Matchers.equalTo("Content-Type"));
        io.restassured.RestAssured.given().accept("application/xml").get("/.well-known/jwks.json")
                .then().statusCode(406).contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.equalTo("NOT_ACCEPTABLE")).body("field", org.hamcrest.Matchers.equalTo("Accept"))
                // the service answers in PNG and PDF too: the detail names where each endpoint's media types are, not JSON alone
                .body("detail", org.hamcrest.Matchers.containsString("/q/openapi"));
    }

    @Test
    void aBatchOfTwoThousandDeathsRevokesEachDeadPersonsCertificatesOnceAndNobodyElses() throws Exception {
        int certified = 60;
        int deaths = 2_000;
        List<String> dead = new ArrayList<>();
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < certified; i++) {
            String iin = Records.newIin();
            Records.patient(iin);
            Records.exam(iin, "DRIVER", "FIT", Records.today().minusDays(10));
            dead.add(iin);
        }
        String survivor = Records.newIin();
        Records.patient(survivor);
        Records.exam(survivor, "DRIVER", "FIT", Records.today().minusDays(10));
        for (String iin : dead) {
            numbers.add(CertificateLifecycleTests.issueWhenEligible(iin, "F083").jsonPath().getString("number"));
        }
        String survivorsNumber = CertificateLifecycleTests.issueWhenEligible(survivor, "F083")
                .jsonPath().getString("number");

        List<Map.Entry<String, HealthRecordEvent>> batch = new ArrayList<>(deaths);
        for (int i = 0; i < deaths; i++) {
            // the certified people among many others the registry also reports dead
            String iin = i < certified ? dead.get(i) : Records.newIin();
            batch.add(Map.entry(iin, Records.event("DEATH", "damumed", "P-" + iin, iin)
                    .setDeath(Death.newBuilder().setDate(Records.today().minusDays(1)).build()).build()));
        }
        TestKafka.sendAll(Topics.REGISTRY.topic, batch);

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() ->
                count("SELECT count(*) FROM certificate WHERE revoked_at IS NOT NULL AND number = ANY (?)", numbers.toArray(String[]::new))
                        == certified);
        // every death is stored, so the batch is done; only then is "nothing more" a fact and not a race
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() ->
                count("SELECT count(*) FROM person_event WHERE record_type = 'DEATH'", null) >= deaths);
        assertThat(count("SELECT count(*) FROM certificate WHERE revoked_at IS NOT NULL AND number = ?", survivorsNumber)).isZero();
        String[] revokedEvents = numbers.stream().map(n -> Envelopes.stableEventId("certificate", n, "REVOKED")).toArray(String[]::new);
        assertThat(count("SELECT count(*) FROM outbox WHERE event_id = ANY (?)", revokedEvents))
                .as("a REVOKED event for each dead person's certificate").isEqualTo(certified);
    }

    private long count(String sql, Object parameter) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter instanceof String[] array) {
                ps.setArray(1, c.createArrayOf("text", array));
            } else if (parameter != null) {
                ps.setObject(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
