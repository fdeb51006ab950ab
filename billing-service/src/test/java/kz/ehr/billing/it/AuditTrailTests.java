package kz.ehr.billing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.DatabaseRoleChecks;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/** Reads of personal data are audited with the token's principal and the stated purpose; the trail cannot be changed. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class AuditTrailTests {
    static final String PERSON = "880101300077";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aReadOfAPersonsDataIsAuditedWithWhoAndWhyAndOnlyAnAuditorReadsTheTrail() {
        given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).get("/api/v1/persons/{key}/events", PERSON)
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("PURPOSE_REQUIRED")).body("field", equalTo("X-Purpose"));
        given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).header("X-User", "someone-else").header("X-Purpose", "complaint 17")
                .get("/api/v1/persons/{key}/events", PERSON).then().statusCode(200);

        JsonPath trail = given().auth().oauth2(TestTokens.of("olzhas", Roles.AUDITOR))
                .get("/api/v1/audit?patient=" + PERSON + "&action=READ_PERSON_EVENTS&from=2020-01-01T00:00:00Z").then().statusCode(200)
                .extract().jsonPath();
        assertThat(trail.getList("items")).hasSize(1);
        assertThat(trail.getString("items[0].who")).isEqualTo("aigerim");
        assertThat(trail.getString("items[0].purpose")).isEqualTo("complaint 17");
        given().auth().oauth2(TestTokens.of("olzhas", Roles.AUDITOR)).get("/api/v1/audit?who=nobody").then().statusCode(200)
                .body("items.size()", equalTo(0));
        given().auth().oauth2(TestTokens.of("olzhas", Roles.AUDITOR)).get("/api/v1/audit?action=EDIT").then().statusCode(400)
                .body("code", equalTo("INVALID_ACTION")).body("field", equalTo("action"));
        given().auth().oauth2(TestTokens.of("olzhas", Roles.AUDITOR)).get("/api/v1/audit?from=yesterday").then().statusCode(400)
                .body("field", equalTo("from"));
        // the auditor's own reading is on the trail too
        given().auth().oauth2(TestTokens.of("olzhas", Roles.AUDITOR)).get("/api/v1/audit?who=olzhas&action=READ_AUDIT").then()
                .statusCode(200).body("items.size()", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void theApiOffersNoWayToChangeTheTrail() {
        for (String method : new String[] {"PUT", "PATCH", "DELETE", "POST"}) {
            given().auth().oauth2(TestTokens.of("olzhas", Roles.ALL.toArray(String[]::new))).contentType("application/json").body("{}")
                    .request(method, "/api/v1/audit").then().statusCode(405);
        }
    }

    @Test
    void theDatabaseRefusesToUpdateDeleteOrTruncateAuditRows() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO data_access_audit (actor, purpose, action, resource, rows_read) "
                    + "VALUES ('trigger-test', 'test', 'READ_LINES', 'test', 0)");
            assertThatThrownBy(() -> st.executeUpdate("UPDATE data_access_audit SET actor = 'someone-else' WHERE actor = 'trigger-test'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM data_access_audit WHERE actor = 'trigger-test'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeUpdate("TRUNCATE data_access_audit")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeUpdate("TRUNCATE fraud_decision")).hasMessageContaining("permission denied");
            try (var rs = st.executeQuery("SELECT count(*) FROM data_access_audit WHERE actor = 'trigger-test'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void theLoginRoleMayOnlyAddToTheAuditTableAndEvenTheOwnerIsStoppedByItsTriggers() throws SQLException {
        DatabaseRoleChecks.assertAppendOnly("ehr_billing_test", "data_access_audit",
                "INSERT INTO data_access_audit (actor, purpose, action, resource, rows_read) VALUES ('role-test', 'test', 'READ_LINES', 'test', 0)");
        DatabaseRoleChecks.assertInsertAndSelectOnly("ehr_billing_test", "fraud_decision");
    }

    @Test
    void theServiceConnectsAsItsLoginRoleWhichCannotOpenAnotherServicesDatabase() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            DatabaseRoleChecks.assertConnectedAsLogin(c, "ehr_billing_test");
        }
        DatabaseRoleChecks.assertCannotOpen("ehr_billing_test", "ehr_neighbour_test");
    }
}
