package kz.ehr.ingestion;

import static io.restassured.RestAssured.given;
import static kz.ehr.ingestion.TestRecords.OPS;
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
import kz.ehr.security.Roles;
import kz.ehr.testsupport.DatabaseRoleChecks;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/** Staff reads of rejected originals need a purpose and are audited under the token's user; the log cannot change. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_ingestion_test"))
class AuditLogTests {
    @Inject
    AgroalDataSource db;

    @Test
    void opsReadRejectionsOnlyWithAPurposeAndTheAuditorSeesWhoAndWhy() {
        String[] p = ProvidersResourceTests.newProvider();
        given().header("Authorization", OPS).when().get("/api/v1/providers/" + p[0] + "/rejections").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("PURPOSE_REQUIRED")).body("field", equalTo("X-Purpose"));
        // the agreed header encoding (kz.ehr.security.Purpose): percent-encoded UTF-8, as the console sends Kazakh or Russian
        given().header("Authorization", OPS).header("X-Purpose", "%D0%B7%D0%B0%D1%8F%D0%B2%D0%BA%D0%B0%207").when()
                .get("/api/v1/providers/" + p[0] + "/rejections").then().statusCode(200);
        given().header("Authorization", p[1]).when().get("/api/v1/providers/" + p[0] + "/rejections").then().statusCode(200);

        String auditor = TestTokens.of("marat", Roles.AUDITOR);
        List<Map<String, Object>> items = given().auth().oauth2(auditor).queryParam("provider", p[0]).when().get("/api/v1/audit")
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(items).extracting(i -> List.of(i.get("who"), i.get("action"), String.valueOf(i.get("purpose"))))
                .containsExactly(List.of("provider:" + p[0], "READ_REJECTIONS", "null"),
                        List.of("aigerim", "READ_REJECTIONS", "заявка 7"),
                        List.of("aigerim", "ISSUE_KEY", "null"));
        given().auth().oauth2(auditor).queryParam("who", "aigerim").queryParam("action", "READ_REJECTIONS").queryParam("limit", 1)
                .when().get("/api/v1/audit").then().statusCode(200).body("items.size()", equalTo(1))
                .body("nextCursor", equalTo(given().auth().oauth2(auditor).queryParam("who", "aigerim")
                        .queryParam("action", "READ_REJECTIONS").queryParam("limit", 1).when().get("/api/v1/audit")
                        .then().extract().path("items[0].id")));
        given().auth().oauth2(auditor).queryParam("to", "soon").when().get("/api/v1/audit").then().statusCode(400)
                .body("code", equalTo("INVALID_PARAMETER")).body("field", equalTo("to"));
        // a number that is no number: the field at fault, not Jakarta REST's empty 404 (NumberParams)
        given().auth().oauth2(auditor).queryParam("limit", "ten").when().get("/api/v1/audit").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("INVALID_LIMIT")).body("field", equalTo("limit"));
        given().auth().oauth2(auditor).queryParam("before", "1e3").when().get("/api/v1/audit").then().statusCode(400)
                .body("code", equalTo("INVALID_BEFORE")).body("field", equalTo("before"));
        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            given().auth().oauth2(auditor).contentType("application/json").body("{}").when().request(method, "/api/v1/audit")
                    .then().statusCode(405);
        }
    }

    @Test
    void theDatabaseRefusesToUpdateDeleteOrTruncateAuditRows() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO audit_log (actor, action, subject, reason) VALUES ('test', 'READ_REJECTIONS', 'x', 'trigger test')");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_log SET actor = 'nobody' WHERE reason = 'trigger test'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_log WHERE reason = 'trigger test'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("TRUNCATE audit_log")).hasMessageContaining("permission denied");
            try (var rs = s.executeQuery("SELECT actor FROM audit_log WHERE reason = 'trigger test'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("test");
            }
        }
    }

    @Test
    void theLoginRoleMayOnlyAddToTheAuditTableAndEvenTheOwnerIsStoppedByItsTriggers() throws SQLException {
        DatabaseRoleChecks.assertAppendOnly("ehr_ingestion_test", "audit_log",
                "INSERT INTO audit_log (actor, action, subject, reason) VALUES ('test', 'READ_REJECTIONS', 'x', 'role test')");
    }

    @Test
    void theServiceConnectsAsItsLoginRoleWhichCannotOpenAnotherServicesDatabase() throws SQLException {
        try (Connection c = db.getConnection()) {
            DatabaseRoleChecks.assertConnectedAsLogin(c, "ehr_ingestion_test");
        }
        DatabaseRoleChecks.assertCannotOpen("ehr_ingestion_test", "ehr_neighbour_test");
    }
}
