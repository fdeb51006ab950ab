package kz.ehr.mpi.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.DatabaseRoleChecks;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/** Every endpoint × every kind of caller: who gets 401, who gets 403, who gets through. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_mpi_test"))
class AccessControlTests {
    static final String ID = UUID.randomUUID().toString();
    static final Set<String> READERS = Set.of(Roles.CLINICIAN, Roles.REVIEWER);
    static final Set<String> REVIEWERS = Set.of(Roles.REVIEWER);
    static final Set<String> AUDITORS = Set.of(Roles.AUDITOR);

    record Endpoint(String method, String path, String body, Set<String> allowed) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/api/v1/source-records/damumed/P-1", null, READERS),
            new Endpoint("GET", "/api/v1/patients/" + ID, null, READERS),
            new Endpoint("GET", "/api/v1/patients?iin=850315300019", null, READERS),
            new Endpoint("GET", "/api/v1/patients/search?lastName=Akhmetova&birthDate=1987-06-02", null, READERS),
            new Endpoint("GET", "/api/v1/patients/" + ID + "/records", null, READERS),
            new Endpoint("GET", "/api/v1/patients/" + ID + "/history", null, READERS),
            new Endpoint("GET", "/fhir/r4/Patient/" + ID, null, READERS),
            new Endpoint("GET", "/fhir/r4/Patient?identifier=http://ehr.kz/fhir/sid/iin|850315300019", null, READERS),
            new Endpoint("POST", "/api/v1/patients/" + ID + "/merge", "{\"targetEnterpriseId\":\"" + UUID.randomUUID() + "\",\"reason\":\"r\"}", REVIEWERS),
            new Endpoint("POST", "/api/v1/patients/" + ID + "/unmerge", "{\"reason\":\"r\"}", REVIEWERS),
            new Endpoint("POST", "/api/v1/source-records/damumed/P-1/link", "{\"enterpriseId\":\"" + ID + "\",\"reason\":\"r\"}", REVIEWERS),
            new Endpoint("POST", "/api/v1/source-records/damumed/P-1/unlink", "{\"reason\":\"r\"}", REVIEWERS),
            new Endpoint("PUT", "/api/v1/patients/" + ID + "/golden/lastName", "{\"value\":\"Ахметова\",\"reason\":\"r\"}", REVIEWERS),
            new Endpoint("DELETE", "/api/v1/patients/" + ID + "/golden/lastName?reason=r", null, REVIEWERS),
            new Endpoint("GET", "/api/v1/reviews", null, REVIEWERS),
            new Endpoint("POST", "/api/v1/reviews/" + ID + "/accept", "{\"reason\":\"r\"}", REVIEWERS),
            new Endpoint("POST", "/api/v1/reviews/" + ID + "/reject", "{\"reason\":\"r\"}", REVIEWERS),
            new Endpoint("POST", "/api/v1/matching/estimations", "{\"sampleSize\":10}", Set.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/ops/outbox", null, Set.of(Roles.OPS)),
            new Endpoint("GET", "/api/v1/audit", null, AUDITORS));

    static Stream<Arguments> everyEndpointAndCaller() {
        List<Arguments> rows = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            rows.add(Arguments.of(e, "no token", null, 401));
            rows.add(Arguments.of(e, "forged", TestTokens.forged("mallory", Roles.ALL.toArray(String[]::new)), 401));
            rows.add(Arguments.of(e, "expired", TestTokens.expired("eve", Roles.ALL.toArray(String[]::new)), 401));
            for (String role : Roles.ALL) {
                rows.add(Arguments.of(e, role, TestTokens.of("user-" + role, role), e.allowed().contains(role) ? 0 : 403));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("everyEndpointAndCaller")
    void everyEndpointAdmitsOnlyItsRoles(Endpoint e, String caller, String token, int expected) {
        RequestSpecification r = given().header("X-Purpose", "TEST").redirects().follow(false);
        if (token != null) {
            r = r.auth().oauth2(token);
        }
        if (e.body() != null) {
            r = r.contentType("application/json").body(e.body());
        }
        int status = r.request(e.method(), e.path()).statusCode();
        if (expected == 0) {
            assertThat(status).as("%s as %s", e, caller).isNotIn(401, 403);
        } else {
            assertThat(status).as("%s as %s", e, caller).isEqualTo(expected);
        }
    }

    @Test
    void healthMetricsAndOpenApiStayOpen() {
        for (String path : List.of("/q/health", "/q/metrics", "/q/openapi")) {
            assertThat(given().get(path).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theAuditLogCanOnlyGrow() throws SQLException {
        given().auth().oauth2(TestTokens.of("nurlan", Roles.CLINICIAN)).header("X-Purpose", "TREATMENT")
                .get("/api/v1/patients/{id}", ID).then().statusCode(404);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            assertThatThrownBy(() -> st.executeUpdate("UPDATE audit_log SET actor = 'someone-else' WHERE actor = 'nurlan'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM audit_log WHERE actor = 'nurlan'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeUpdate("TRUNCATE audit_log")).hasMessageContaining("permission denied");
            try (var rs = st.executeQuery("SELECT count(*) FROM audit_log WHERE actor = 'nurlan'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
        // and the API offers no way to change it
        String auditor = TestTokens.of("olga", Roles.AUDITOR);
        for (String method : List.of("PUT", "PATCH", "DELETE", "POST")) {
            assertThat(given().auth().oauth2(auditor).contentType("application/json").body("{}")
                    .request(method, "/api/v1/audit").statusCode()).as(method).isEqualTo(405);
        }
    }

    @Test
    void theLoginRoleMayOnlyAddToTheAuditLogAndEvenTheOwnerIsStoppedByItsTriggers() throws SQLException {
        DatabaseRoleChecks.assertAppendOnly("ehr_mpi_test", "audit_log",
                "INSERT INTO audit_log (actor, action, purpose) VALUES ('role-test', 'READ', 'test')");
    }

    @Test
    void theServiceConnectsAsItsLoginRoleWhichCannotOpenAnotherServicesDatabase() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            DatabaseRoleChecks.assertConnectedAsLogin(c, "ehr_mpi_test");
        }
        DatabaseRoleChecks.assertCannotOpen("ehr_mpi_test", "ehr_neighbour_test");
    }
}
