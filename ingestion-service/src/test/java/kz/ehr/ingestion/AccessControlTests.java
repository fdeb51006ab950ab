package kz.ehr.ingestion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
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
 * Every endpoint × every kind of caller. Providers use their API key, staff a signed token: neither is accepted in
 * place of the other. Expected 200 means served (any answer but 401/403).
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_ingestion_test"))
class AccessControlTests {
    /** Who may call: a staff role, "provider:x" for provider x's own key. */
    record Endpoint(String method, String path, String body, List<String> allowed) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    record Caller(String name, Supplier<String> bearer, String is) {
        boolean isStaff() {
            return is != null && !is.startsWith("provider:");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final String RECORD = "{\"recordId\":\"acl-1\",\"type\":\"PATIENT\",\"patient\":{\"localId\":\"P-ACL\",\"lastName\":\"Тест\"}}";

    /** Made once: a forged token needs a fresh RSA key pair, which is slow on a busy machine. */
    static final String FORGED = TestTokens.forged("mallory", Roles.ALL.toArray(String[]::new));
    static final String EXPIRED = TestTokens.expired("olga", Roles.ALL.toArray(String[]::new));

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/v1/records", RECORD, List.of("provider:damumed", "provider:kmis")),
            new Endpoint("GET", "/api/v1/providers/stats", null, List.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/providers/stats/records-by-minute", null, List.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/providers/stats/rejections-by-hour", null, List.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/providers/damumed/stats", null, List.of(Roles.OPS, "provider:damumed")),
            new Endpoint("GET", "/api/v1/providers/damumed/rejections", null, List.of(Roles.OPS, "provider:damumed")),
            new Endpoint("GET", "/api/v1/providers/damumed/keys", null, List.of(Roles.OPS)),
            new Endpoint("POST", "/api/v1/providers/acl-vendor/keys", null, List.of(Roles.OPS)),
            new Endpoint("DELETE", "/api/v1/providers/acl-vendor/keys/000000000000", null, List.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/audit", null, List.of(Roles.AUDITOR)));

    static final List<Caller> CALLERS = List.of(
            new Caller("no credentials", () -> null, null),
            new Caller("forged token with every role", () -> FORGED, null),
            new Caller("expired token with every role", () -> EXPIRED, null),
            new Caller("unknown provider key", () -> "not-a-key", null),
            new Caller("ops", () -> TestTokens.of("aigerim", Roles.OPS), Roles.OPS),
            new Caller("reviewer", () -> TestTokens.of("dana", Roles.REVIEWER), Roles.REVIEWER),
            new Caller("auditor", () -> TestTokens.of("marat", Roles.AUDITOR), Roles.AUDITOR),
            new Caller("clinician", () -> TestTokens.of("dr-aliya", Roles.CLINICIAN), Roles.CLINICIAN),
            new Caller("provider damumed", () -> "test-key-damumed", "provider:damumed"),
            new Caller("provider kmis", () -> "test-key-kmis", "provider:kmis"));

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            boolean staffEndpoint = e.allowed().stream().anyMatch(a -> !a.startsWith("provider:"));
            boolean providerEndpoint = e.allowed().stream().anyMatch(a -> a.startsWith("provider:"));
            for (Caller c : CALLERS) {
                int expected;
                if (c.is() != null && e.allowed().contains(c.is())) {
                    expected = 200;
                } else if (c.is() == null) {
                    expected = 401;
                } else if (c.isStaff()) {
                    // a staff token is no provider key: where only providers are served, it is unknown
                    expected = staffEndpoint ? 403 : 401;
                } else {
                    // a provider key is no staff token: where only staff are served, it is unknown
                    expected = providerEndpoint ? 403 : 401;
                }
                cases.add(Arguments.of(e, c, expected));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1} → {2}")
    @MethodSource("matrix")
    void everyEndpointAnswersEveryCallerAsTheRoleMatrixSays(Endpoint endpoint, Caller caller, int expected) {
        RequestSpecification request = given().header("X-Purpose", "access control test");
        String bearer = caller.bearer().get();
        if (bearer != null) {
            request = request.header("Authorization", "Bearer " + bearer);
        }
        if (endpoint.body() != null) {
            request = request.contentType("application/x-ndjson").body(endpoint.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        int status = request.when().request(endpoint.method(), endpoint.path()).then().extract().statusCode();
        if (expected == 200) {
            assertThat(status).as("%s as %s", endpoint, caller).isNotIn(401, 403).isLessThan(500);
        } else {
            assertThat(status).as("%s as %s", endpoint, caller).isEqualTo(expected);
        }
    }
}
