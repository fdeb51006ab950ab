package kz.ehr.certificates.revocation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.signing.SigningKeys;
import kz.ehr.certificates.verifier.TokenVerifier;
import kz.ehr.events.kafka.Failures;

/**
 * Revoked certificate numbers and when they were revoked (never why: that stays behind the staff endpoint) in memory,
 * so that a verification costs no database round trip; with them, the signing keys' lifecycle (withdrawals).
 * <p>
 * Each refresh reads, in one REPEATABLE READ snapshot, the revocations whose transaction id ({@code revoked_xid}, set by
 * a trigger) is at or above the watermark, then moves the watermark to the snapshot's xmin: every transaction below
 * xmin has ended, so whatever it revoked was in this snapshot; a transaction at or above it is read again next time.
 * A revocation that started early and committed late is therefore seen at the first refresh after its commit, whatever
 * its {@code revoked_at}. When no refresh has succeeded for {@code ehr.certificates.revocation-max-staleness}, the
 * index is not {@link #upToDate()} and verification answers {@code CANNOT_CONFIRM} instead of VALID.
 * Plain JDBC, not entities: an incremental read by transaction id (xid8 watermark, REPEATABLE READ snapshot, statement timeout) that the ORM cannot express.
 */
@ApplicationScoped
public class RevocationIndex implements TokenVerifier.RevocationLookup {
    private static final Logger LOG = Logger.getLogger(RevocationIndex.class);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    CertificatesConfig config;
    @Inject
    SigningKeys keys;

    private final Map<String, Instant> revokedAtByNumber = new ConcurrentHashMap<>();
    /** xid8 as text; null until the first full read. */
    private volatile String watermark;
    /** System.nanoTime() at the start of the last refresh that succeeded. */
    private volatile long lastReadNanos;
    private volatile boolean everRead;
    private Thread thread;
    private volatile boolean running = true;
    private volatile boolean failing;

    void start(@Observes StartupEvent event) throws SQLException {
        refresh();
        thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(config.revocationRefresh().toMillis());
                    refresh();
                    if (failing) {
                        LOG.info("revocation index refresh works again");
                        failing = false;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (!failing) {
                        LOG.warnf("revocation index refresh failed (verification answers CANNOT_CONFIRM after %s): %s",
                                config.revocationMaxStaleness(), Failures.redact(e));
                    }
                    failing = true;
                }
            }
        }, "certificate-revocation-index");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /**
     * Loads the revocations committed since the last watermark, and the keys' lifecycle. Plain JDBC, not the
     * {@code Certificate} entity: the read, the key registry and the snapshot's xmin must come from one REPEATABLE READ
     * transaction, the filter is on the unmapped {@code revoked_xid} (xid8), and only number and time are needed; it runs
     * every second on every instance, under the verification load {@code CertificateBench} measures.
     */
    public synchronized void refresh() throws SQLException {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                try (Statement s = c.createStatement()) {
                    // a hung server must not hold the refresh for longer than the answer may grow stale
                    s.execute("SET LOCAL statement_timeout = " + Math.max(1000, config.revocationMaxStaleness().toMillis()));
                }
                String xmin;
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")) {
                    rs.next();
                    xmin = rs.getString(1);
                }
                String from = watermark;
                try (PreparedStatement ps = c.prepareStatement(from == null
                        ? "SELECT number, revoked_at FROM certificate WHERE revoked_at IS NOT NULL"
                        : "SELECT number, revoked_at FROM certificate WHERE revoked_xid >= ?::xid8")) {
                    if (from != null) {
                        ps.setString(1, from);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            revokedAtByNumber.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                        }
                    }
                }
                keys.refresh(c);
                c.commit();
                watermark = xmin;
                lastReadNanos = started;
                everRead = true;
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        }
    }

    @Override
    public Optional<Instant> revokedAt(String kid, String certificateNumber) {
        return Optional.ofNullable(revokedAtByNumber.get(certificateNumber));
    }

    /** Whether the last successful read of the database is recent enough to call a certificate not revoked. */
    @Override
    public boolean upToDate() {
        return everRead && Duration.ofNanos(System.nanoTime() - lastReadNanos).compareTo(config.revocationMaxStaleness()) <= 0;
    }

    /** How long ago the revocation state was last read successfully (for health and tests). */
    public Duration age() {
        return everRead ? Duration.ofNanos(System.nanoTime() - lastReadNanos) : Duration.ofDays(365);
    }
}
