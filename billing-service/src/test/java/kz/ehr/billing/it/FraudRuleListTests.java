package kz.ehr.billing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.billing.fraud.FraudScreen;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/** GET /api/v1/fraud/rules lists every rule the monitor runs, once, with its scope and a description. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class FraudRuleListTests {
    @Test
    void everyRuleTheMonitorRunsIsListedOnceWithItsScopeAndADescription() {
        List<Map<String, Object>> rules = given().auth().oauth2(TestTokens.of("aigerim", Roles.REVIEWER))
                .get("/api/v1/fraud/rules").then().statusCode(200).extract().jsonPath().getList("$");
        List<String> ids = rules.stream().map(r -> (String) r.get("id")).toList();
        List<String> screened = new ArrayList<>(FraudScreen.personRuleIds());
        screened.addAll(FraudScreen.doctorDayRuleIds());
        screened.addAll(FraudScreen.crossPolyclinicRuleIds());
        assertThat(ids).containsExactlyElementsOf(screened).doesNotHaveDuplicates()
                .contains("ATTACHED_TWICE", "GHOST_PATIENT", "DOCTOR_TWO_POLYCLINICS", "SCREENING_BEFORE_INTERVAL", "VISIT_AFTER_DEATH");
        assertThat(rules).allSatisfy(r -> assertThat((String) r.get("description")).isNotBlank());
        Map<String, Object> ghost = rules.stream().filter(r -> "GHOST_PATIENT".equals(r.get("id"))).findFirst().orElseThrow();
        assertThat(ghost).containsEntry("scope", "PERSON").containsEntry("stakesWholePayment", true);
        Map<String, Object> twoPlaces = rules.stream().filter(r -> "DOCTOR_TWO_POLYCLINICS".equals(r.get("id"))).findFirst().orElseThrow();
        assertThat(twoPlaces).containsEntry("scope", "CROSS_POLYCLINIC").containsEntry("stakesWholePayment", false);
        Map<String, Object> cap = rules.stream().filter(r -> "DOCTOR_DAILY_CAP".equals(r.get("id"))).findFirst().orElseThrow();
        assertThat(cap).containsEntry("scope", "DOCTOR_DAY");
    }
}
