package kz.ehr.billing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import kz.ehr.billing.capitation.service.CapitationRuns;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/**
 * Lines are loaded into a detached partition by a second connection; a run that dies after loading them leaves the
 * month exactly as it was, and the next run clears the leftover.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class CapitationRunAtomicityTests {
    static final String BIN = "100140000777";
    static final String LINES = "/api/v1/capitation/2024-07/polyclinics/" + BIN + "/lines";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    CapitationRuns runs;

    static RequestSpecification ops() {
        return given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).header("X-Purpose", "atomicity test");
    }

    void attach(String person) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO attachment (rec_key, person_key, source_key, polyclinic_bin, from_date, record_version) VALUES ('atom:"
                    + person + "', '" + person + "', 'atom:" + person + "', '" + BIN + "', date '2020-01-01', 1)");
        }
    }

    long leftovers() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("""
                     SELECT count(*) FROM pg_class t WHERE t.relkind = 'r' AND t.relname LIKE 'capitation\\_line\\_2024\\_07\\_v%'
                       AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = t.oid)""")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aRunThatDiesAfterLoadingItsLinesLeavesNoTraceReadersCouldSee() throws SQLException {
        attach("ATOM-1");
        ops().post("/api/v1/capitation/2024-07/run").then().statusCode(200);
        assertThat(ops().get(LINES).then().statusCode(200).extract().jsonPath().getList("items.iin")).containsExactly("ATOM-1");
        long persons = ops().get("/api/v1/capitation/2024-07").then().statusCode(200).extract().jsonPath().getLong("persons");

        attach("ATOM-2");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            try {
                runs.runIn(YearMonth.of(2024, 7), 2);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("the service dies before the run commits");
        })).hasMessageContaining("dies");

        // neither the lines (COPY) nor the statement and run headers (Hibernate) of the dead run are there
        assertThat(ops().get(LINES).then().statusCode(200).extract().jsonPath().getList("items.iin")).containsExactly("ATOM-1");
        assertThat(ops().get("/api/v1/capitation/2024-07").then().statusCode(200).extract().jsonPath().getLong("persons")).isEqualTo(persons);
        assertThat(ops().get("/api/v1/capitation/2024-07/polyclinics/" + BIN).then().statusCode(200).extract().jsonPath()
                .getLong("persons")).isEqualTo(1);
        assertThat(leftovers()).isEqualTo(1);

        ops().post("/api/v1/capitation/2024-07/run").then().statusCode(200);
        assertThat(ops().get(LINES).then().statusCode(200).extract().jsonPath().getList("items.iin")).containsExactly("ATOM-1", "ATOM-2");
        assertThat(leftovers()).isZero();
    }
}
