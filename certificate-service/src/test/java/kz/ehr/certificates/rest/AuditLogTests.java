package kz.ehr.certificates.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import kz.ehr.certificates.Records;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.DatabaseRoleChecks;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/** Reads and issues land in the audit log with the token's user; nobody can change a row, not even over JDBC. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class AuditLogTests {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void theAuditorSeesWhoIssuedAndReadACertificateAndWhyButCannotChangeIt() {
        String iin = Records.newIin();
        Records.patient(iin);
        String number = CertificateLifecycleTests.issueWhenEligible(iin, "PSYCHIATRIC_CLEARANCE").jsonPath().getString("number");
        given().auth().oauth2(TestTokens.of("dr-bolat", Roles.CLINICIAN)).header("X-Purpose", "employer asked")
                .when().get("/api/v1/certificates/" + number).then().statusCode(200);
        // the caller cannot choose who it is any more
        given().auth().oauth2(TestTokens.of("dr-bolat", Roles.CLINICIAN)).header("X-Purpose", "again")
                .header("X-Actor", "somebody-else").when().get("/api/v1/certificates/" + number).then().statusCode(200);

        String auditor = TestTokens.of("marat", Roles.AUDITOR);
        JsonPath page = given().auth().oauth2(auditor).queryParam("patient", iin).when().get("/api/v1/audit")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = page.getList("items");
        // refusals (PERSON_UNKNOWN) while the projection was catching up are audited too; this is about the rest
        assertThat(items.stream().filter(i -> !"ISSUE_REFUSED".equals(i.get("action"))).toList()).extracting(i -> List.of(i.get("who"), i.get("action"), String.valueOf(i.get("purpose"))))
                .containsExactly(List.of("dr-bolat", "READ", "again"), List.of("dr-bolat", "READ", "employer asked"),
                        List.of("dr-aliya", "ISSUE", "fitness check"));
        assertThat(items).allSatisfy(i -> assertThat(i.get("at")).isNotNull());
        given().auth().oauth2(auditor).queryParam("who", "dr-bolat").queryParam("action", "READ").queryParam("limit", 1)
                .when().get("/api/v1/audit").then().statusCode(200).body("items.size()", equalTo(1))
                .body("items[0].certificateNumber", equalTo(number)).body("nextCursor", equalTo(items.get(0).get("id")));
        given().auth().oauth2(auditor).queryParam("from", "yesterday").when().get("/api/v1/audit").then().statusCode(400)
                .body("code", equalTo("INVALID_PARAMETER")).body("field", equalTo("from"));

        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            given().auth().oauth2(auditor).contentType("application/json").body("{}").when().request(method, "/api/v1/audit")
                    .then().statusCode(405);
            given().auth().oauth2(auditor).contentType("application/json").body("{}").when()
                    .request(method, "/api/v1/audit/" + items.get(0).get("id")).then().statusCode(404);
        }
    }

    @Test
    void theDatabaseRefusesToUpdateDeleteOrTruncateAuditRows() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO access_audit (actor, action, purpose) VALUES ('test', 'READ', 'trigger test')");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE access_audit SET actor = 'nobody' WHERE purpose = 'trigger test'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM access_audit WHERE purpose = 'trigger test'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("TRUNCATE access_audit")).hasMessageContaining("permission denied");
            try (var rs = s.executeQuery("SELECT actor FROM access_audit WHERE purpose = 'trigger test'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("test");
            }
        }
    }

    @Test
    void theLoginRoleMayOnlyAddToTheAuditTableAndEvenTheOwnerIsStoppedByItsTriggers() throws SQLException {
        DatabaseRoleChecks.assertAppendOnly("ehr_certificates_test", "access_audit",
                "INSERT INTO access_audit (actor, action, purpose) VALUES ('test', 'READ', 'role test')");
    }

    @Test
    void theServiceConnectsAsItsLoginRoleWhichCannotOpenAnotherServicesDatabase() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            DatabaseRoleChecks.assertConnectedAsLogin(c, "ehr_certificates_test");
        }
        DatabaseRoleChecks.assertCannotOpen("ehr_certificates_test", "ehr_neighbour_test");
    }
}
