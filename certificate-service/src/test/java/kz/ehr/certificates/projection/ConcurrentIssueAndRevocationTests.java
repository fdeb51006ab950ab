package kz.ehr.certificates.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.certificates.Records;
import kz.ehr.certificates.issuance.CertificateIssuer;
import kz.ehr.certificates.issuance.IssuanceException;
import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.Death;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestSql;

/**
 * A person dies while a certificate is being issued to them: the death's batch and the issue run in two transactions at
 * once, one held open until the other waits for a lock (or has finished). Either order must end with no valid
 * certificate for the dead person: the issue sees the death and refuses, or the death sees the certificate and revokes
 * it. Without the turns {@code CertificateRevoker.takeTurnsWithIssuing} gives, neither sees the other.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class ConcurrentIssueAndRevocationTests {
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final EventCodec<HealthRecordEvent> CODEC = EventCodec.of(HealthRecordEvent.class);

    @Inject
    RecordsProjector projector;
    @Inject
    CertificateIssuer issuer;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void aDeathAppliedWhileACertificateIsIssuedIsSeenByTheIssue() throws Exception {
        String iin = fitDriver();
        // the death's batch holds its transaction open; the issue starts meanwhile
        CompletableFuture<Void> issue = whileHeldOpen(() -> apply(death(iin)), () -> issue(iin));
        assertThat(issue).failsWithin(DEADLINE).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IssuanceException.class).withMessageContaining("PATIENT_DECEASED");
        assertThat(activeCertificates(iin)).isZero();
    }

    @Test
    void aCertificateIssuedWhileADeathIsAppliedIsRevokedByTheDeath() throws Exception {
        String iin = fitDriver();
        // the issue holds its transaction open; the death's batch starts meanwhile
        whileHeldOpen(() -> issue(iin), () -> apply(death(iin))).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(certificates(iin)).isEqualTo(1);
        assertThat(activeCertificates(iin)).as("revoked by the death that waited for it").isZero();
    }

    /** {@code first} in a transaction held open until {@code second} (its own transaction) waits for a lock or is done. */
    private CompletableFuture<Void> whileHeldOpen(Runnable first, Runnable second) {
        AtomicLong backend = new AtomicLong();
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] done = new CompletableFuture[1];
        QuarkusTransaction.requiringNew().run(() -> {
            first.run();
            done[0] = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
                try (Connection c = dataSource.getConnection()) {
                    backend.set(ConcurrentLinkBatchesTests.backendPid(c));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                second.run();
            }));
            await().atMost(DEADLINE).until(() -> done[0].isDone() || ConcurrentLinkBatchesTests.waitsForALock(backend.get()));
        });
        return done[0];
    }

    private String fitDriver() {
        String iin = Records.newIin();
        QuarkusTransaction.requiringNew().run(() -> {
            apply(Records.event("PATIENT", "damumed", "P-" + iin, iin).build());
            apply(Records.event("EXAM", "damumed", "P-" + iin, iin).setExam(kz.ehr.events.Exam.newBuilder()
                    .setPurpose("DRIVER").setConclusion("FIT").setDate(Records.today().minusDays(30)).setDoctorId("D-17")
                    .setFacilityBin("990340000013").build()).build());
        });
        return iin;
    }

    private static HealthRecordEvent death(String iin) {
        return Records.event("DEATH", "damumed", "P-" + iin, iin)
                .setDeath(Death.newBuilder().setDate(Records.today()).build()).build();
    }

    private void apply(HealthRecordEvent e) {
        try {
            projector.apply(List.of(new Delivery<>(Topics.REGISTRY.topic, 0, 0, e.getPatient().getIin(), e, CODEC.encode(e))));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void issue(String iin) {
        try {
            issuer.issue(iin, "F083");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long certificates(String iin) throws Exception {
        return count("SELECT count(*) FROM certificate WHERE iin = ?", iin);
    }

    private long activeCertificates(String iin) throws Exception {
        return count("SELECT count(*) FROM certificate WHERE iin = ? AND revoked_at IS NULL", iin);
    }

    private long count(String sql, String iin) throws Exception {
        return TestSql.count(dataSource, sql, iin);
    }
}
