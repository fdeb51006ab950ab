package kz.ehr.certificates.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.certificates.Records;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.SourceRef;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestPlatform;

/**
 * Two certificate-service instances consume different partitions of mpi.links.v1, and a merge names an enterprise whose
 * events live on the other partition: two link batches can read the same {@code mpi_link} rows at once. Here batch A
 * has applied its links and holds its transaction open while batch B runs on another connection; A commits only once B
 * waits for a lock (or has finished). Whatever B read before A committed, the rows must end as one batch after the
 * other would leave them.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class ConcurrentLinkBatchesTests {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    @Inject
    MpiLinks mpiLinks;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void aGoldenChangeOfTheMergedAwayEnterpriseDoesNotRewriteARowTheMergeMovedOut() throws Exception {
        String x = "X-" + UUID.randomUUID();
        String p = "P-" + UUID.randomUUID();
        String gx = Records.newIin();
        String gp = Records.newIin();
        SourceRef x1 = linked(x, gx);
        SourceRef p1 = linked(p, gp);
        SourceRef p2 = linked(p, gp);
        String gp2 = Records.newIin();

        // A (X's partition): P merged into X, p1 with it; B (P's partition): P's IIN corrected, p2 all it has left
        runConcurrently(Records.linkEvent("MERGED", x, p, gx, List.of(x1, p1)),
                Records.linkEvent("LINKED", p, null, gp2, List.of(p2)));

        assertThat(row(x1)).isEqualTo(x + " " + gx);
        assertThat(row(p1)).as("moved into X by the merge, so it follows X's golden IIN").isEqualTo(x + " " + gx);
        assertThat(row(p2)).isEqualTo(p + " " + gp2);
    }

    @Test
    void aSourceMovedWithoutNamingItsFormerEnterpriseIsNotRewrittenByThatEnterprisesFollowUp() throws Exception {
        String e = "E-" + UUID.randomUUID();
        String ge = Records.newIin();
        SourceRef s = linked(e, ge);
        SourceRef e1 = linked(e, ge);
        String f = "F-" + UUID.randomUUID();
        String gf = Records.newIin();
        String ge2 = Records.newIin();

        // A: s linked to F by an event that does not say it came from E; B: E's IIN corrected, e1 all it has left
        runConcurrently(Records.linkEvent("LINKED", f, null, gf, List.of(s)),
                Records.linkEvent("LINKED", e, null, ge2, List.of(e1)));

        assertThat(row(s)).as("linked to F, so it keeps F's golden IIN").isEqualTo(f + " " + gf);
        assertThat(row(e1)).isEqualTo(e + " " + ge2);
    }

    /** A's batch applied and held open until B's (on its own connection) waits for a lock or is done; then A commits. */
    private void runConcurrently(MpiLinkEvent a, MpiLinkEvent b) throws Exception {
        AtomicLong bBackend = new AtomicLong();
        AtomicReference<CompletableFuture<Void>> bDone = new AtomicReference<>();
        QuarkusTransaction.requiringNew().run(() -> {
            apply(a);
            bDone.set(CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
                // the transaction's one connection: the backend B's batch runs on
                try (Connection c = dataSource.getConnection()) {
                    bBackend.set(backendPid(c));
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
                apply(b);
            })));
            await().atMost(DEADLINE).until(() -> bDone.get().isDone() || waitsForALock(bBackend.get()));
        });
        bDone.get().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    private void apply(MpiLinkEvent e) {
        try {
            mpiLinks.apply(List.of(new Delivery<>(Topics.MPI_LINKS.topic, 0, 0, e.getEnterpriseId(), e, new byte[0])));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }


    private static Connection connect() throws Exception {
        return DriverManager.getConnection(ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class),
                TestPlatform.pgUser(), TestPlatform.pgPassword());
    }

    /** A new source record, already linked to this enterprise and golden IIN. */
    private static SourceRef linked(String enterprise, String golden) throws Exception {
        SourceRef s = new SourceRef("kmis", "K-" + UUID.randomUUID(), null);
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mpi_link (provider_id, local_id, enterprise_id, golden_iin, event_id) VALUES (?, ?, ?, ?, 'seed')")) {
            ps.setString(1, s.getProviderId());
            ps.setString(2, s.getLocalId());
            ps.setString(3, enterprise);
            ps.setString(4, golden);
            ps.executeUpdate();
        }
        return s;
    }

    /** The row's enterprise and golden IIN. */
    private static String row(SourceRef s) throws Exception {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT enterprise_id || ' ' || golden_iin FROM mpi_link WHERE provider_id = ? AND local_id = ?")) {
            ps.setString(1, s.getProviderId());
            ps.setString(2, s.getLocalId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static boolean waitsForALock(long pid) throws Exception {
        if (pid == 0) {
            return false;
        }
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = ?")) {
            ps.setLong(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    static long backendPid(Connection c) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
