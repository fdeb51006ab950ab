package kz.ehr.billing.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.avro.specific.SpecificRecordBase;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.local.Databases;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestPlatform;
import kz.ehr.testsupport.TestSql;

/**
 * A full consumed batch's event log is written beside its projection transactions and committed after them
 * ({@link EventLogBeside}); a smaller batch's in its transaction. A failure of either side must leave nothing half-counted: the consumer's retry of the same
 * batch (what the loop does after a failed handle) ends with every event logged once, every visit stored once and the
 * same fraud flags; a failed projection logs nothing and holds no connection.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class EventLogBesideTests {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    BillingIngest ingest;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    /** Three encounters of one person with one doctor at one time (flagged: the same service twice, no attachment). */
    static List<Delivery<SpecificRecordBase>> batch(String iin) {
        List<Delivery<SpecificRecordBase>> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = UUID.randomUUID().toString();
            Delivery<HealthRecordEvent> d = FastPathFallbackTests.encounter(id, "r-" + id, iin, new byte[0]);
            out.add(new Delivery<>(d.topic(), d.partition(), i, d.key(), d.value(), d.raw()));
        }
        return out;
    }

    static String newIin() {
        return "9001019" + "%05d".formatted(Math.floorMod(UUID.randomUUID().hashCode(), 100_000));
    }

    @Test
    void aBatchWhoseEventLogFailsKeepsItsProjectionAndIsWholeAndCountedOnceOnItsRetry() throws Exception {
        String iin = newIin();
        List<Delivery<SpecificRecordBase>> batch = batch(iin);
        whileRefused("person_event", iin, () ->
                assertThatThrownBy(() -> ingest.handle(batch, true)).hasStackTraceContaining("refused for the test"));
        // the projection's transaction committed before the log's failed: visits and flags are there, the log is not
        assertThat(count("SELECT count(*) FROM visit WHERE person_key = ?", iin)).isEqualTo(3);
        long flags = count("SELECT count(*) FROM fraud_flag f JOIN visit v ON v.rec_key = f.visit_key WHERE v.person_key = ?", iin);
        assertThat(flags).isPositive();
        assertThat(count("SELECT count(*) FROM person_event WHERE person_key = ?", iin)).isZero();

        ingest.handle(batch, true); // the consumer's retry
        assertThat(count("SELECT count(*) FROM person_event WHERE person_key = ?", iin)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM visit WHERE person_key = ?", iin)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM fraud_flag f JOIN visit v ON v.rec_key = f.visit_key WHERE v.person_key = ?", iin))
                .isEqualTo(flags);
    }

    @Test
    void aBatchWhoseProjectionFailsLogsNothingAndHoldsNoConnection() throws Exception {
        String iin = newIin();
        List<Delivery<SpecificRecordBase>> batch = batch(iin);
        whileRefused("visit", iin, () -> {
            // more failures than the pool has connections (16): a connection kept by a failed batch would run it dry
            for (int i = 0; i < 20; i++) {
                assertThatThrownBy(() -> ingest.handle(batch, true)).hasStackTraceContaining("refused for the test");
            }
            assertThat(count("SELECT count(*) FROM person_event WHERE person_key = ?", iin)).isZero();
        });
        ingest.handle(batch, true);
        assertThat(count("SELECT count(*) FROM person_event WHERE person_key = ?", iin)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM visit WHERE person_key = ?", iin)).isEqualTo(3);
    }

    @Test
    void aBatchSmallerThanAFullOneWritesItsLogInItsTransaction() throws Exception {
        String iin = newIin();
        List<Delivery<SpecificRecordBase>> batch = batch(iin);
        // as the consumer hands over a batch of 3 (billing.consumer.max-batch is 5,000): one transaction, nothing kept
        whileRefused("person_event", iin, () ->
                assertThatThrownBy(() -> ingest.handle(batch)).hasStackTraceContaining("refused for the test"));
        assertThat(count("SELECT count(*) FROM visit WHERE person_key = ?", iin)).isZero();
        ingest.handle(batch);
        assertThat(count("SELECT count(*) FROM person_event WHERE person_key = ?", iin)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM visit WHERE person_key = ?", iin)).isEqualTo(3);
    }

    /**
     * Two instances: one's full batch has written its log beside (not committed: it commits after that batch's
     * projection transactions, which wait for the write lock), and the other's smaller batch, holding the write lock,
     * comes to the same records' log rows. It must not wait for them for ever, a cycle PostgreSQL cannot see: it fails
     * as a transient failure (the consumer retries it), and once the first instance has committed, its retry applies it.
     */
    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aBatchHoldingTheWriteLockWaitsOnlyBrieflyForAnotherInstancesLogBeside() throws Exception {
        String iin = newIin();
        List<Delivery<SpecificRecordBase>> batch = batch(iin);
        try (Connection besides = dataSource.getConnection()) {
            besides.setAutoCommit(false);
            PersonEvents.store(besides, (List) batch);
            java.util.concurrent.CompletableFuture<Void> small = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    ingest.handle(batch, false);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            assertThatThrownBy(() -> small.get(60, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the batch holding the write lock gave up waiting")
                    .isInstanceOf(java.util.concurrent.ExecutionException.class)
                    .satisfies(e -> assertThat(kz.ehr.events.kafka.Failures.isTransient(e.getCause())).as("transient: " + e.getCause()).isTrue());
            assertThat(count("SELECT count(*) FROM visit WHERE person_key = ?", iin)).isZero();
            besides.commit();
        }
        ingest.handle(batch, false); // the consumer's retry
        assertThat(count("SELECT count(*) FROM person_event WHERE person_key = ?", iin)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM visit WHERE person_key = ?", iin)).isEqualTo(3);
    }

    interface Check {
        void run() throws Exception;
    }

    /** Runs {@code check} while a row trigger refuses the rows of {@code table} whose person_key is {@code iin}. */
    private void whileRefused(String table, String iin, Check check) throws Exception {
        failInsertsInto(table, iin);
        try {
            check.run();
        } finally {
            dropFailure(table);
        }
    }

    private void failInsertsInto(String table, String iin) throws SQLException {
        try (Connection c = asOwner(); Statement st = c.createStatement()) {
            st.execute("""
                    CREATE OR REPLACE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'refused for the test'; END $$""");
            st.execute("CREATE TRIGGER refuse_for_test BEFORE INSERT ON " + table + " FOR EACH ROW"
                    + " WHEN (NEW.person_key = '" + iin + "') EXECUTE FUNCTION refuse_for_test()");
        }
    }

    private void dropFailure(String table) throws SQLException {
        try (Connection c = asOwner(); Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER refuse_for_test ON " + table);
            st.execute("DROP FUNCTION refuse_for_test()");
        }
    }

    /** The service's login role may not create triggers: the database's owner may. */
    private Connection asOwner() throws SQLException {
        Databases.ServiceRoles roles = TestPlatform.roles("ehr_billing_test");
        return DriverManager.getConnection(url, roles.owner(), roles.ownerPassword());
    }

    private long count(String sql, String iin) throws SQLException {
        return TestSql.count(dataSource, sql, iin);
    }
}
