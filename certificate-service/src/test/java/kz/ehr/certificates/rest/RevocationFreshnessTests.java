package kz.ehr.certificates.rest;

import static kz.ehr.certificates.rest.CertificateLifecycleTests.awaitStatus;
import static kz.ehr.certificates.rest.CertificateLifecycleTests.issueWhenEligible;
import static kz.ehr.certificates.rest.CertificateLifecycleTests.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.certificates.Records;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestPlatform;

/** The revocation index follows committed transactions, and says CANNOT_CONFIRM when it cannot read them. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class RevocationFreshnessTests {
    static final Duration DEADLINE = Duration.ofSeconds(120);

    static String url() {
        return ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
    }

    static Connection connect(String url) throws Exception {
        return DriverManager.getConnection(url, TestPlatform.pgUser(), TestPlatform.pgPassword());
    }

    static void revoke(Connection c, String number, Instant at) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE certificate SET revoked_at = ?, revocation_reason = 'PATIENT_DECEASED' WHERE number = ? AND revoked_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, number);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void aRevocationWhoseTransactionStartedEarlyAndCommittedLateIsSeen() throws Exception {
        String iin = Records.newIin();
        Records.patient(iin);
        var early = issueWhenEligible(iin, "PSYCHIATRIC_CLEARANCE");
        var later = issueWhenEligible(iin, "NARCOLOGICAL_CLEARANCE");
        try (Connection slow = connect(url()); Connection quick = connect(url())) {
            slow.setAutoCommit(false);
            // stamped with the clock when its work began, ten minutes ago, and still uncommitted
            revoke(slow, early.jsonPath().getString("number"), Instant.now().minus(Duration.ofMinutes(10)));
            revoke(quick, later.jsonPath().getString("number"), Instant.now());
            awaitStatus(later.jsonPath().getString("token"), "REVOKED");
            assertThat(verify(early.jsonPath().getString("token")).jsonPath().getString("status")).isEqualTo("VALID");
            // a window of time by revoked_at (the former index re-read 60 s back from the newest) would never see this one
            slow.commit();
        }
        long committed = System.nanoTime();
        awaitStatus(early.jsonPath().getString("token"), "REVOKED");
        System.out.printf("RELIABILITY test=late-commit-revocation seen_after_commit_ms=%d%n", (System.nanoTime() - committed) / 1_000_000);
    }

    @Test
    void withTheDatabaseUnreachablePastTheBoundVerificationCannotConfirmAndNeverSaysValid() throws Exception {
        String iin = Records.newIin();
        Records.patient(iin);
        String valid = issueWhenEligible(iin, "PSYCHIATRIC_CLEARANCE").jsonPath().getString("token");
        var revokedOne = issueWhenEligible(iin, "NARCOLOGICAL_CLEARANCE");
        try (Connection c = connect(url())) {
            revoke(c, revokedOne.jsonPath().getString("number"), Instant.now());
        }
        awaitStatus(revokedOne.jsonPath().getString("token"), "REVOKED");
        assertThat(verify(valid).jsonPath().getString("status")).isEqualTo("VALID");

        String database = url().replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
        String maintenance = url().replaceAll("/[^/?]+(\\?.*)?$", "/postgres$1");
        Set<String> seen = new HashSet<>();
        try (Connection admin = connect(maintenance); Statement s = admin.createStatement()) {
            // no one may connect to the service's database, and its open connections are cut: an outage for it alone
            s.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS false");
            long cut = System.nanoTime();
            try {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "' AND pid <> pg_backend_pid()");
                await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() -> {
                    String status = verify(valid).jsonPath().getString("status");
                    seen.add(status);
                    return "CANNOT_CONFIRM".equals(status);
                });
                System.out.printf("RELIABILITY test=revocation-state-unreadable cannot_confirm_after_ms=%d%n", (System.nanoTime() - cut) / 1_000_000);
                // still unreachable: never VALID again, and what is known revoked stays REVOKED
                for (int i = 0; i < 5; i++) {
                    assertThat(verify(valid).jsonPath().getString("status")).isEqualTo("CANNOT_CONFIRM");
                }
                assertThat(verify(valid).jsonPath().getMap("certificate")).isNull();
                assertThat(verify(revokedOne.jsonPath().getString("token")).jsonPath().getString("status")).isEqualTo("REVOKED");
            } finally {
                s.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS true");
            }
        }
        assertThat(seen).containsOnly("VALID", "CANNOT_CONFIRM");
        long restored = System.nanoTime();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> "VALID".equals(verify(valid).jsonPath().getString("status")));
        System.out.printf("RELIABILITY test=revocation-state-unreadable valid_again_after_ms=%d%n", (System.nanoTime() - restored) / 1_000_000);
    }
}
