package kz.ehr.mpi.linking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.mpi.NonMatch;
import kz.ehr.mpi.Review;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/**
 * Manual decisions write their review, non-match and merge rows through Panache and the index, history and outbox
 * through plain JDBC ({@link IndexStore}): inside one transaction both must be one database session, so that a decision
 * commits or rolls back whole.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_mpi_test"))
class DecisionsTransactionTests {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void hibernateValidatedItsEntitiesAgainstFlywaysSchemaAtStart() throws Exception {
        assertThat(ConfigProvider.getConfig().getValue("quarkus.hibernate-orm.schema-management.strategy", String.class))
                .isEqualTo("validate");
        // the same check again, on demand: it throws when a mapped table or column differs from the migrations
        Review.getEntityManager().getEntityManagerFactory().getSchemaManager().validate();
    }

    @Test
    void hibernateAndPlainJdbcUseOneDatabaseSessionInsideATransaction() {
        long[] pids = new long[2];
        QuarkusTransaction.requiringNew().run(() -> {
            pids[0] = Review.getEntityManager().unwrap(Session.class).doReturningWork(DecisionsTransactionTests::backendPid);
            try (Connection c = dataSource.getConnection()) {
                pids[1] = backendPid(c);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(pids[0]).isPositive().isEqualTo(pids[1]);
    }

    @Test
    void aDecisionCommitsItsEntityAndJdbcRowsTogetherAndARollbackLeavesNeither() throws Exception {
        UUID committed = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> decide(committed));
        assertThat(rows(committed)).containsExactly(1, 1);

        UUID rolledBack = UUID.randomUUID();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            decide(rolledBack);
            throw new IllegalStateException("the decision failed after both writes");
        })).hasMessageContaining("the decision failed");
        assertThat(rows(rolledBack)).containsExactly(0, 0);
    }

    /** A non-match through Panache, then its history row through the index's JDBC writer, as ManualDecisions does. */
    private void decide(UUID enterpriseId) {
        NonMatch.remember("transaction-test", "L-1", enterpriseId, "tester");
        NonMatch.flush();
        try (Connection c = dataSource.getConnection()) {
            IndexStore.insertHistory(c, List.of(new IndexStore.HistoryEntry(enterpriseId, "TRANSACTION_TEST", null,
                    "transaction-test", "L-1", null, "test", "tester")));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** [non_match rows, link_history rows] of that enterprise id, read on a connection of its own. */
    private List<Integer> rows(UUID enterpriseId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT (SELECT count(*) FROM non_match WHERE enterprise_id = ?)::int,
                            (SELECT count(*) FROM link_history WHERE enterprise_id = ?)::int""")) {
            ps.setObject(1, enterpriseId);
            ps.setObject(2, enterpriseId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return List.of(rs.getInt(1), rs.getInt(2));
            }
        }
    }

    private static long backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
