package kz.ehr.certificates.rest;

import static kz.ehr.certificates.rest.CertificateLifecycleTests.awaitStatus;
import static kz.ehr.certificates.rest.CertificateLifecycleTests.issueWhenEligible;
import static kz.ehr.certificates.rest.RevocationFreshnessTests.connect;
import static kz.ehr.certificates.rest.RevocationFreshnessTests.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;

import jakarta.inject.Inject;

import org.hibernate.Session;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.certificates.Certificate;
import kz.ehr.certificates.Records;
import kz.ehr.certificates.eligibility.RevocationRules;
import kz.ehr.certificates.revocation.CertificateRevoker;
import kz.ehr.events.Envelopes;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/**
 * Certificates are a Panache entity while the outbox writer is plain JDBC: both must be one transaction on one
 * connection, or a revocation could commit without its REVOKED event (or the event go out for a revocation rolled back).
 * The service starting at all proves that Hibernate validated the entity against Flyway's schema.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class RevocationTransactionTests {
    @Inject
    CertificateRevoker revoker;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void hibernateValidatedItsEntityAgainstFlywaysSchemaAtStart() throws Exception {
        assertThat(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.hibernate-orm.schema-management.strategy", String.class)).isEqualTo("validate");
        // the same check again, on demand: it throws when a mapped table or column differs from the migrations
        Certificate.getEntityManager().getEntityManagerFactory().getSchemaManager().validate();
    }

    @Test
    void hibernateAndPlainJdbcUseOneDatabaseSessionInsideATransaction() throws Exception {
        long[] pids = new long[2];
        QuarkusTransaction.requiringNew().run(() -> {
            pids[0] = Certificate.getEntityManager().unwrap(Session.class).doReturningWork(RevocationTransactionTests::backendPid);
            try (Connection c = dataSource.getConnection()) {
                pids[1] = backendPid(c);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(pids[0]).isPositive().isEqualTo(pids[1]);
    }

    @Test
    void aRevocationAndItsOutboxEventCommitTogether() throws Exception {
        Issued issued = issuedClearance();
        String iin = issued.iin(), number = issued.number();

        int revoked = QuarkusTransaction.requiringNew().call(() -> revoker.revoke(Set.of(iin), RevocationRules.death(), "test-death-" + number));

        assertThat(revoked).isEqualTo(1);
        try (Connection c = connect(url())) {
            assertThat(revocation(c, number)).isEqualTo("PATIENT_DECEASED xid=true");
            assertThat(outboxRows(c, number)).isEqualTo(1);
        }
        // the trigger's transaction id reached the revocation index, which follows it
        awaitStatus(issued.token(), "REVOKED");
        // a second revocation finds nothing active: revoked once, announced once
        assertThat(QuarkusTransaction.requiringNew().call(() -> revoker.revoke(Set.of(iin), RevocationRules.death(), "again"))).isZero();
    }

    @Test
    void aRevocationNamingNoCertificateTypeRevokesNothingAndFailsNothing() throws Exception {
        Issued issued = issuedClearance();
        String iin = issued.iin(), number = issued.number();
        RevocationRules.Revocation none = new RevocationRules.Revocation(Set.of(), "NO_TYPE_NAMED");

        // no rule builds one today; naming no type must not read as "every type"
        assertThat(QuarkusTransaction.requiringNew().call(() -> revoker.revoke(Set.of(iin), none, "test-no-type-" + number))).isZero();

        try (Connection c = connect(url())) {
            assertThat(revocation(c, number)).isEqualTo("active");
            assertThat(outboxRows(c, number)).isZero();
        }
    }

    @Test
    void aRolledBackRevocationLeavesNeitherTheRevocationNorItsOutboxEvent() throws Exception {
        Issued issued = issuedClearance();
        String iin = issued.iin(), number = issued.number();

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            try {
                assertThat(revoker.revoke(Set.of(iin), RevocationRules.death(), "test-rollback-" + number)).isEqualTo(1);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("the batch failed after the revocation");
        })).hasMessageContaining("the batch failed");

        try (Connection c = connect(url())) {
            assertThat(revocation(c, number)).isEqualTo("active");
            assertThat(outboxRows(c, number)).isZero();
        }
        assertThat(CertificateLifecycleTests.verify(issued.token()).jsonPath().getString("status"))
                .isEqualTo("VALID");
    }

    @Test
    void revokingOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> revoker.revoke(Set.of(Records.newIin()), RevocationRules.death(), "no-transaction"))
                .isInstanceOf(jakarta.transaction.TransactionalException.class);
    }

    /** A new patient and the psychiatric clearance issued to them. */
    record Issued(String iin, String number, String token) {
    }

    private static Issued issuedClearance() {
        String iin = Records.newIin();
        Records.patient(iin);
        var issued = issueWhenEligible(iin, "PSYCHIATRIC_CLEARANCE");
        return new Issued(iin, issued.jsonPath().getString("number"), issued.jsonPath().getString("token"));
    }

    private static long backendPid(Connection c) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String revocation(Connection c, String number) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT revocation_reason, revoked_xid IS NOT NULL, revoked_at IS NULL FROM certificate WHERE number = ?")) {
            ps.setString(1, number);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("certificate %s stored", number).isTrue();
                return rs.getBoolean(3) ? "active" : rs.getString(1) + " xid=" + rs.getBoolean(2);
            }
        }
    }

    private static int outboxRows(Connection c, String number) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE event_id = ?")) {
            ps.setString(1, Envelopes.stableEventId("certificate", number, "REVOKED"));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
