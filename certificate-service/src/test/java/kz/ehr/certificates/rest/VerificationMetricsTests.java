package kz.ehr.certificates.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/** {@code ehr_certificates_verifications_total{status}} (the dashboard's verification rate) moves with each answer. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class VerificationMetricsTests {
    @Inject
    MeterRegistry metrics;

    @Test
    void eachVerificationAnswerCountsOnceUnderItsStatusAndEveryStatusIsExportedFromTheStart() {
        double valid = count("VALID");
        double malformed = count("MALFORMED");
        given().contentType("application/json").body("{\"token\":\"not a token\"}").post("/api/v1/verifications")
                .then().statusCode(200).body("status", equalTo("MALFORMED"));
        assertThat(count("MALFORMED")).isEqualTo(malformed + 1);
        assertThat(count("VALID")).isEqualTo(valid);
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("ehr_certificates_verifications_total{status=\"REVOKED\"}");
    }

    private double count(String status) {
        return metrics.get("ehr.certificates.verifications").tag("status", status).counter().count();
    }
}
