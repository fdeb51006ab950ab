package kz.ehr.certificates.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/** Every endpoint × every kind of caller: 401 without a valid token, 403 with the wrong role, served otherwise. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class AccessControlTests {
    static final String PUBLIC = "public";

    record Endpoint(String method, String path, String body, String allowedRole, String alsoAllowed) {
        Endpoint(String method, String path, String body, String allowedRole) {
            this(method, path, body, allowedRole, null);
        }

        boolean allows(String role) {
            return role.equals(allowedRole) || role.equals(alsoAllowed);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    record Caller_(String name, Supplier<String> token, String role) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Made once: a forged token needs a fresh RSA key pair, which is slow on a busy machine. */
    static final String FORGED = TestTokens.forged("mallory", Roles.ALL.toArray(String[]::new));
    static final String EXPIRED = TestTokens.expired("olga", Roles.ALL.toArray(String[]::new));

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/v1/certificates", "{\"iin\":\"850315300019\",\"type\":\"F063\"}", Roles.CLINICIAN),
            new Endpoint("GET", "/api/v1/certificates/KZC-20261128-0000000000", null, Roles.CLINICIAN),
            new Endpoint("GET", "/api/v1/certificates/KZC-20261128-0000000000/qr.png", null, Roles.CLINICIAN),
            new Endpoint("GET", "/api/v1/certificates/KZC-20261128-0000000000/pdf", null, Roles.CLINICIAN),
            new Endpoint("GET", "/api/v1/certificates/KZC-20261128-0000000000/revocation", null, Roles.CLINICIAN, Roles.AUDITOR),
            new Endpoint("POST", "/api/v1/certificates/KZC-20261128-0000000000/revocation",
                    "{\"reason\":\"ISSUED_IN_ERROR\",\"comment\":\"access control test\"}", Roles.REVIEWER),
            new Endpoint("GET", "/api/v1/certificates/revocation-reasons", null, Roles.REVIEWER, Roles.CLINICIAN),
            new Endpoint("POST", "/api/v1/keys/rotation", null, Roles.OPS),
            new Endpoint("POST", "/api/v1/keys/not-a-key/withdrawal", null, Roles.OPS),
            new Endpoint("GET", "/api/v1/persons/850315300019/events", null, Roles.OPS),
            new Endpoint("GET", "/api/v1/ops/outbox", null, Roles.OPS),
            new Endpoint("GET", "/api/v1/audit", null, Roles.AUDITOR),
            new Endpoint("POST", "/api/v1/verifications", "{\"token\":\"not a token\"}", PUBLIC),
            new Endpoint("GET", "/.well-known/jwks.json", null, PUBLIC),
            new Endpoint("GET", "/verify", null, PUBLIC),
            new Endpoint("POST", "/verify/scan", "{\"not\":\"an image\"}", PUBLIC),
            new Endpoint("GET", "/api/v1/revocations", null, PUBLIC));

    static final List<Caller_> CALLERS = List.of(
            new Caller_("no token", () -> null, null),
            new Caller_("forged token with every role", () -> FORGED, null),
            new Caller_("expired token with every role", () -> EXPIRED, null),
            new Caller_("ops", () -> TestTokens.of("aigerim", Roles.OPS), Roles.OPS),
            new Caller_("reviewer", () -> TestTokens.of("dana", Roles.REVIEWER), Roles.REVIEWER),
            new Caller_("auditor", () -> TestTokens.of("marat", Roles.AUDITOR), Roles.AUDITOR),
            new Caller_("clinician", () -> TestTokens.of("dr-aliya", Roles.CLINICIAN), Roles.CLINICIAN));

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            for (Caller_ c : CALLERS) {
                int expected;
                if (e.allowedRole().equals(PUBLIC)) {
                    expected = 200;
                } else if (c.role() == null) {
                    expected = 401;
                } else {
                    expected = e.allows(c.role()) ? 200 : 403;
                }
                cases.add(Arguments.of(e, c, expected));
            }
        }
        return cases.stream();
    }

    /** {@code expected} 200 means "served": any answer but 401 and 403 (a 404 for the unknown certificate is served). */
    @ParameterizedTest(name = "{0} as {1} → {2}")
    @MethodSource("matrix")
    void everyEndpointAnswersEveryCallerAsTheRoleMatrixSays(Endpoint endpoint, Caller_ caller, int expected) {
        RequestSpecification request = given().header(Caller.PURPOSE_HEADER, "access control test");
        String token = caller.token().get();
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        if (endpoint.body() != null) {
            request = request.contentType("application/json").body(endpoint.body());
        }
        int status = request.when().request(endpoint.method(), endpoint.path()).then().extract().statusCode();
        if (expected == 200) {
            assertThat(status).as("%s as %s", endpoint, caller).isNotIn(401, 403).isLessThan(500);
        } else {
            assertThat(status).as("%s as %s", endpoint, caller).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("personalDataReads")
    void aReadOfPersonalDataWithoutAPurposeIsRefusedWithTheHeaderNamed(Endpoint endpoint) {
        var request = given().auth().oauth2(TestTokens.of("someone", endpoint.allowedRole()));
        if (endpoint.body() != null) {
            request = request.contentType("application/json").body(endpoint.body());
        }
        var body = request.when().request(endpoint.method(), endpoint.path()).then().statusCode(400)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(Map.of("code", body.getString("code"), "field", body.getString("field")))
                .isEqualTo(Map.of("code", "PURPOSE_REQUIRED", "field", "X-Purpose"));
    }

    static Stream<Endpoint> personalDataReads() {
        // (the auditor's revocation read needs a purpose as well: RevocationPrivacyTests)
        return ENDPOINTS.stream().filter(e -> e.allowedRole().equals(Roles.CLINICIAN) || e.path().startsWith("/api/v1/persons"));
    }
}
