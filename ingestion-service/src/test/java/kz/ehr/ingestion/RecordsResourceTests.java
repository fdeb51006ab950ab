package kz.ehr.ingestion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestKafka;

@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_ingestion_test"))
class RecordsResourceTests {
    static final String KEY = "Bearer test-key-damumed";

    @Test
    void anAcceptedRecordIsOnItsTopicKeyedByIinBeforeTheCallReturns() {
        String recordId = "enc-" + UUID.randomUUID();
        String body = """
                {"recordId":"%s","type":"ENCOUNTER","occurredAt":"2025-03-01T10:15:00+05:00",
                 "patient":{"localId":"P-77","iin":"850315300019","lastName":"Ахметов","firstName":"Ерлан","birthDate":"1985-03-15","sex":"M"},
                 "encounter":{"polyclinicBin":"100140000013","doctorId":"D-1","start":"2025-03-01T10:15:00+05:00","kind":"VISIT","diagnoses":["I10"]}}
                """.formatted(recordId).replace("\n", "") + "\n";

        given().header("Authorization", KEY).contentType("application/x-ndjson").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/api/v1/records")
                .then().statusCode(200).body("accepted", equalTo(1)).body("rejected.size()", equalTo(0));

        List<HealthRecordEvent> events = TestKafka.readUntil(Topics.CARE.topic, HealthRecordEvent.class,
                e -> e.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(30));
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getEnvelope().getProviderId()).isEqualTo("damumed");
        assertThat(events.get(0).getPatient().getIinStatus()).isEqualTo("VALID");
        assertThat(events.get(0).getEncounter().getDiagnoses()).containsExactly("I10");
    }

    @Test
    void aMalformedLineRejectsThatLineOnly() {
        String good = """
                {"recordId":"p-%s","type":"PATIENT","patient":{"localId":"P-1","iin":"900101400013"}}""".formatted(UUID.randomUUID());
        String body = good + "\n{not json\n";

        given().header("Authorization", KEY).contentType("application/x-ndjson").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/api/v1/records")
                .then().statusCode(200).body("accepted", equalTo(1))
                .body("rejected[0].index", equalTo(1))
                .body("rejected[0].errors[0].code", equalTo("MALFORMED_JSON"));
    }

    @Test
    void aBodyOfAnotherMediaTypeIsAProblemThatNamesTheContentType() {
        given().header("Authorization", KEY).contentType("text/csv").body("recordId,type\nx-1,PATIENT")
                .when().post("/api/v1/records")
                .then().statusCode(415).contentType("application/problem+json").body("status", equalTo(415))
                .body("code", equalTo("UNSUPPORTED_MEDIA_TYPE")).body("field", equalTo("Content-Type"));
    }

    @Test
    void anUnknownTypeIsRejectedWithTheFieldAtFault() {
        given().header("Authorization", KEY).contentType("application/json")
                .body("[{\"recordId\":\"x-1\",\"type\":\"SURGERY\",\"patient\":{\"localId\":\"P-1\"}}]")
                .when().post("/api/v1/records")
                .then().statusCode(200).body("accepted", equalTo(0))
                .body("rejected[0].errors[0].code", equalTo("UNKNOWN_TYPE"))
                .body("rejected[0].errors[0].field", equalTo("type"));
    }

    @Test
    void aMissingOrUnknownKeyIsUnauthenticated() {
        given().contentType("application/json").body("[]").when().post("/api/v1/records")
                .then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().header("Authorization", "Bearer nope").contentType("application/json").body("[]").when().post("/api/v1/records")
                .then().statusCode(401);
    }
}
