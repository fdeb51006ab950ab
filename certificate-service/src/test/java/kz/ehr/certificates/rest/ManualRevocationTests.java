package kz.ehr.certificates.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import kz.ehr.certificates.Records;
import kz.ehr.events.CertificateEvent;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/**
 * A reviewer revokes a certificate by hand: through the same path as the event-driven revocations (verification says
 * REVOKED with the time, the REVOKED event reaches certificates.events.v1), once, audited; bad requests name the field.
 * That no public answer shows the reason is RevocationPrivacyTests' (its manual rows).
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class ManualRevocationTests {

    static RequestSpecification reviewer() {
        return given().auth().oauth2(TestTokens.of("dana", Roles.REVIEWER)).header(Caller.PURPOSE_HEADER, "complaint 12");
    }

    static Response revoke(RequestSpecification as, String number, Map<String, Object> body) {
        return as.contentType("application/json").body(body).when().post("/api/v1/certificates/" + number + "/revocation")
                .then().extract().response();
    }

    /** What a reviewer's revocation looks like in the API: used by RevocationPrivacyTests as one more revocation path. */
    static JsonPath revokeByHand(String number, String reason) {
        return revoke(reviewer(), number, Map.of("reason", reason, "comment", "decided on complaint 12"))
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aReviewerRevokesOnceThroughTheSamePathAndAskingAgainChangesNothing() {
        String iin = Records.newIin();
        Records.patient(iin);
        Response issued = CertificateLifecycleTests.issueWhenEligible(iin, "PSYCHIATRIC_CLEARANCE");
        String number = issued.jsonPath().getString("number");
        String token = issued.jsonPath().getString("token");
        assertThat(CertificateLifecycleTests.verify(token).jsonPath().getString("status")).isEqualTo("VALID");

        JsonPath first = revoke(reviewer(), number, Map.of("reason", "ISSUED_IN_ERROR", "comment", "  wrong form chosen  "))
                .then().statusCode(200).extract().jsonPath();
        assertThat(Map.of("number", first.getString("number"), "status", first.getString("status"), "reason",
                first.getString("reason"), "revokedBy", first.getString("revokedBy"), "comment", first.getString("comment")))
                .isEqualTo(Map.of("number", number, "status", "REVOKED", "reason", "ISSUED_IN_ERROR", "revokedBy", "dana",
                        "comment", "wrong form chosen"));
        String revokedAt = first.getString("revokedAt");

        // again, even with another reason and by someone else: the same revocation
        JsonPath second = revoke(given().auth().oauth2(TestTokens.of("yerlan", Roles.REVIEWER)).header(Caller.PURPOSE_HEADER, "retry"),
                number, Map.of("reason", "WRONG_PERSON", "comment", "double click")).then().statusCode(200).extract().jsonPath();
        assertThat((Map<?, ?>) second.get("")).isEqualTo(first.get(""));

        // the public answer: REVOKED with the revocation's time, no reason
        CertificateLifecycleTests.awaitStatus(token, "REVOKED");
        JsonPath verified = CertificateLifecycleTests.verify(token).jsonPath();
        assertThat(verified.getString("revokedAt")).isEqualTo(revokedAt);
        assertThat(verified.getString("detail")).isEqualTo("revoked");

        // the event every consumer of certificates.events.v1 gets, exactly as for an event-driven revocation
        CertificateEvent event = CertificateLifecycleTests.awaitEvent(number, "REVOKED");
        assertThat(event.getReason()).isEqualTo("ISSUED_IN_ERROR");
        assertThat(event.getRevokedAt()).isEqualTo(java.time.Instant.parse(revokedAt).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));

        // staff read the decision back; each call is audited with who and why
        JsonPath read = given().auth().oauth2(TestTokens.of("marat", Roles.AUDITOR)).header(Caller.PURPOSE_HEADER, "audit 3")
                .when().get("/api/v1/certificates/" + number + "/revocation").then().statusCode(200).extract().jsonPath();
        assertThat((Map<?, ?>) read.get("")).isEqualTo(first.get(""));
        List<Map<String, Object>> audited = given().auth().oauth2(TestTokens.of("aliya-audit", Roles.AUDITOR))
                .queryParam("patient", iin).queryParam("action", "REVOKE").when().get("/api/v1/audit")
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(audited).extracting(row -> row.get("who") + "/" + row.get("purpose") + "/" + row.get("certificateNumber"))
                .containsExactly("yerlan/retry/" + number, "dana/complaint 12/" + number);
    }

    @Test
    void aCertificateAnEventRevokedStaysAsTheEventRevokedIt() {
        String iin = Records.newIin();
        Records.patient(iin);
        Response issued = CertificateLifecycleTests.issueWhenEligible(iin, "NARCOLOGICAL_CLEARANCE");
        String number = issued.jsonPath().getString("number");
        Records.dispensary(iin, "NARCOLOGICAL", "REGISTERED", Records.today());
        CertificateLifecycleTests.awaitStatus(issued.jsonPath().getString("token"), "REVOKED");

        JsonPath answer = revokeByHand(number, "HOLDER_REQUEST");
        assertThat(Map.of("status", answer.getString("status"), "reason", answer.getString("reason")))
                .isEqualTo(Map.of("status", "REVOKED", "reason", "REGISTERED_NARCOLOGICAL"));
        assertThat(answer.getString("revokedBy")).isNull();
    }

    @Test
    void badRequestsAreRefusedWithAStableCodeAndTheFieldAtFault() {
        String iin = Records.newIin();
        Records.patient(iin);
        String number = CertificateLifecycleTests.issueWhenEligible(iin, "PSYCHIATRIC_CLEARANCE")
                .jsonPath().getString("number");
        record Case(RequestSpecification as, String number, Map<String, Object> body, int status, String code, String field) {
        }
        List<Case> cases = List.of(
                new Case(reviewer(), number, Map.of("comment", "x"), 400, "REASON_REQUIRED", "reason"),
                new Case(reviewer(), number, Map.of("reason", "PATIENT_DECEASED", "comment", "x"), 400, "UNKNOWN_REVOCATION_REASON", "reason"),
                new Case(reviewer(), number, Map.of("reason", "WRONG_PERSON"), 400, "COMMENT_REQUIRED", "comment"),
                new Case(reviewer(), number, Map.of("reason", "WRONG_PERSON", "comment", "   "), 400, "COMMENT_REQUIRED", "comment"),
                new Case(reviewer(), number, Map.of("reason", "WRONG_PERSON", "comment", "x".repeat(2001)), 400, "COMMENT_TOO_LONG", "comment"),
                new Case(given().auth().oauth2(TestTokens.of("dana", Roles.REVIEWER)), number,
                        Map.of("reason", "WRONG_PERSON", "comment", "x"), 400, "PURPOSE_REQUIRED", "X-Purpose"),
                new Case(reviewer(), "F083-20261128-0000000000", Map.of("reason", "WRONG_PERSON", "comment", "x"), 404,
                        "CERTIFICATE_NOT_FOUND", null));
        for (Case c : cases) {
            JsonPath problem = revoke(c.as(), c.number(), c.body()).then().statusCode(c.status())
                    .contentType("application/problem+json").extract().jsonPath();
            assertThat(java.util.Arrays.asList(problem.getString("code"), problem.getString("field")))
                    .as("%s", c.body()).containsExactly(c.code(), c.field());
        }
        // none of them revoked anything
        assertThat(CertificateLifecycleTests.clinician().when().get("/api/v1/certificates/" + number + "/revocation")
                .then().statusCode(200).extract().jsonPath().getString("status")).isEqualTo("ACTIVE");
    }
}
