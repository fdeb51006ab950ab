package kz.ehr.billing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/**
 * Every endpoint × every kind of caller: no token, a forged or expired token → 401; a valid token without one of the
 * endpoint's roles → 403; with one → allowed (anything but 401/403, and no server error).
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class AccessControlTests {
    static final String MONTH = "/api/v1/capitation/2024-03";
    static final String STATEMENT = MONTH + "/polyclinics/100140000013";
    static final Set<String> READERS = Set.of(Roles.OPS, Roles.AUDITOR);
    static final Set<String> FLAG_READERS = Set.of(Roles.REVIEWER, Roles.OPS, Roles.AUDITOR);

    record Endpoint(String method, String path, Set<String> roles) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", MONTH + "/run", Set.of(Roles.OPS)),
            new Endpoint("POST", MONTH + "/close", Set.of(Roles.OPS)),
            new Endpoint("GET", MONTH, READERS),
            new Endpoint("GET", MONTH + "/changes", READERS),
            new Endpoint("GET", STATEMENT, READERS),
            new Endpoint("GET", STATEMENT + "/lines", READERS),
            new Endpoint("GET", STATEMENT + "/lines?format=csv", READERS),
            new Endpoint("GET", "/api/v1/fraud/flags", FLAG_READERS),
            new Endpoint("GET", "/api/v1/fraud/rules", FLAG_READERS),
            new Endpoint("GET", "/api/v1/fraud/flags/no-such-flag", FLAG_READERS),
            new Endpoint("POST", "/api/v1/fraud/flags/no-such-flag/decision", Set.of(Roles.REVIEWER)),
            new Endpoint("GET", "/api/v1/fraud/protected/2024-03", FLAG_READERS),
            new Endpoint("GET", "/api/v1/outreach?polyclinic=100140000013", Set.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/outreach?polyclinic=100140000013&format=csv", Set.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/outreach/screenings?polyclinic=100140000013", Set.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/outreach/screenings?polyclinic=100140000013&format=csv", Set.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/persons/900510300001/events", Set.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/ops/outbox", Set.of(Roles.OPS)),
            new Endpoint("POST", "/api/v1/ops/outbox/999999999/requeue", Set.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/ops/dead-letters", Set.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/ops/dead-letters/0-999999999", Set.of(Roles.OPS)),
            new Endpoint("POST", "/api/v1/ops/dead-letters/replay", Set.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/audit", Set.of(Roles.AUDITOR)));

    static Stream<Arguments> matrix() {
        List<Arguments> rows = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            rows.add(Arguments.of(e, "no token", null, 401));
            rows.add(Arguments.of(e, "forged", TestTokens.forged("mallory", Roles.ALL.toArray(String[]::new)), 401));
            rows.add(Arguments.of(e, "expired", TestTokens.expired("aigerim", Roles.ALL.toArray(String[]::new)), 401));
            for (String role : Roles.ALL) {
                rows.add(Arguments.of(e, role, TestTokens.of("staff-" + role, role), e.roles().contains(role) ? 0 : 403));
            }
        }
        rows.add(Arguments.of(new Endpoint("GET", "/q/health", Set.of()), "no token", null, 0));
        return rows.stream();
    }

    /** expected 0 = allowed. */
    @ParameterizedTest(name = "{0} as {1} → {3}")
    @MethodSource("matrix")
    void everyEndpointAnswersOnlyTheRolesOfTheMatrix(Endpoint endpoint, String caller, String token, int expected) {
        RequestSpecification request = given().header("X-Purpose", "access-control test")
                .contentType("application/json").body("{\"decision\":\"DISMISSED\",\"comment\":\"access-control test\"}");
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        int status = request.request(endpoint.method(), endpoint.path()).then().extract().statusCode();
        if (expected == 0) {
            assertThat(status).as("%s as %s", endpoint, caller).isNotIn(401, 403).isLessThan(500);
        } else {
            assertThat(status).as("%s as %s", endpoint, caller).isEqualTo(expected);
        }
    }
}
