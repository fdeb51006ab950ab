package kz.ehr.billing.fraud.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.billing.fraud.ReviewState;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/**
 * A decision writes through Hibernate (the flag, the decision) and through JDBC (audit row, outbox event) in one
 * transaction: rolled back, it leaves neither; committed, both. A database of its own: its audit rows are not the flow
 * tests' business.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_tx_test"))
class FlagDecisionTransactionTests {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    FraudFlags flags;

    void openFlag(String flagId, String bin) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO fraud_flag (flag_id, visit_key, rule_id, polyclinic_bin, doctor_id, visit_date, reason,"
                    + " money_at_stake, state) VALUES ('" + flagId + "', 'tx:" + flagId + "', 'VISIT_AFTER_DEATH', '" + bin
                    + "', 'DR1', date '2025-10-07', 'visit after the date of death', 256.50, 'OPEN')");
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String state(String flagId) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT state FROM fraud_flag WHERE flag_id = '" + flagId + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aDecisionRolledBackLeavesNeitherTheEntityRowsNorTheJdbcRows() throws SQLException {
        openFlag("tx-rollback", "000000000001");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            flags.record("tx-rollback", ReviewState.CONFIRMED, "reviewer-1", "forged referral");
            throw new IllegalStateException("the service dies before the decision commits");
        })).hasMessageContaining("dies");

        assertThat(state("tx-rollback")).isEqualTo("OPEN");
        assertThat(count("SELECT count(*) FROM fraud_decision WHERE flag_id = 'tx-rollback'")).isZero();
        assertThat(count("SELECT count(*) FROM data_access_audit WHERE resource LIKE 'fraud flag tx-rollback %'")).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE event_key = '000000000001'")).isZero();

        flags.decide("tx-rollback", ReviewState.CONFIRMED, "reviewer-1", "forged referral");
        assertThat(state("tx-rollback")).isEqualTo("CONFIRMED");
        assertThat(count("SELECT count(*) FROM fraud_decision WHERE flag_id = 'tx-rollback'")).isOne();
        assertThat(count("SELECT count(*) FROM data_access_audit WHERE resource LIKE 'fraud flag tx-rollback %'")).isOne();
        assertThat(count("SELECT count(*) FROM outbox WHERE event_key = '000000000001'")).isOne();
    }

    @Test
    void hibernateAndJdbcUseOneConnectionInsideATransaction() {
        QuarkusTransaction.requiringNew().run(() -> {
            Object hibernatePid = FraudFlagEntity.getEntityManager().createNativeQuery("SELECT pg_backend_pid()").getSingleResult();
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                assertThat(((Number) hibernatePid).intValue()).isEqualTo(rs.getInt(1));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
