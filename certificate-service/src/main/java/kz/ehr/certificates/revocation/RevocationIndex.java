package kz.ehr.certificates.revocation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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
import kz.ehr.certificates.verifier.TokenVerifier;

/**
 * Revoked certificate numbers and when they were revoked (never why: that stays behind the staff endpoint) in memory, so that a verification costs no database round trip. Refreshed from the
 * database every {@code ehr.certificates.revocation-refresh}, which bounds how stale an answer can be and keeps
 * every instance of the service in step.
 */
@ApplicationScoped
public class RevocationIndex implements TokenVerifier.RevocationLookup {
    private static final Logger LOG = Logger.getLogger(RevocationIndex.class);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    CertificatesConfig config;

    private final Map<String, Instant> revokedAtByNumber = new ConcurrentHashMap<>();
    private volatile Instant seenUntil = Instant.EPOCH;
    private Thread thread;
    private volatile boolean running = true;

    void start(@Observes StartupEvent event) throws SQLException {
        refresh();
        thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(config.revocationRefresh().toMillis());
                    refresh();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    LOG.warnf("revocation index refresh failed: %s", e.getMessage());
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

    /** Loads revocations newer than the last seen one; the overlap absorbs transactions that committed late. */
    public synchronized void refresh() throws SQLException {
        Instant from = seenUntil.minusSeconds(60);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT number, revoked_at FROM certificate WHERE revoked_at IS NOT NULL AND revoked_at >= ?")) {
            ps.setTimestamp(1, Timestamp.from(from));
            Instant max = seenUntil;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant at = rs.getTimestamp(2).toInstant();
                    revokedAtByNumber.put(rs.getString(1), at);
                    if (at.isAfter(max)) {
                        max = at;
                    }
                }
            }
            seenUntil = max;
        }
    }

    @Override
    public Optional<Instant> revokedAt(String kid, String certificateNumber) {
        return Optional.ofNullable(revokedAtByNumber.get(certificateNumber));
    }
}
