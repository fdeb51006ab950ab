package kz.ehr.certificates.revocation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import kz.ehr.certificates.Certificate;
import kz.ehr.certificates.eligibility.RevocationRules;
import kz.ehr.certificates.outbox.Outbox;
import kz.ehr.events.CertificateEvent;
import kz.ehr.events.db.AdvisoryLocks;

/**
 * Revokes active certificates and records a REVOKED event for each in the outbox, in the caller's transaction.
 * Certificates are Panache entities; the JDBC connection only carries the shared outbox writer into the same transaction.
 */
@ApplicationScoped
public class CertificateRevoker {
    /**
     * The same clock that stamps {@code issued_at}: a revocation time from the database's {@code now()} could read
     * earlier than the issue time it follows whenever the two clocks disagree (seen with the JVM's clock a year ahead).
     */
    private final Clock clock = Clock.systemUTC();

    @Inject
    AgroalDataSource dataSource;

    /**
     * Marks the event that triggers revocations as applied; false when it was applied before (a redelivery),
     * so that replaying an old registration never revokes a certificate issued after it. One statement, so that a
     * concurrent redelivery waits for the first and then finds it applied (a look-up before an insert would not).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstApplication(String eventId) {
        return Certificate.getEntityManager()
                .createNativeQuery("INSERT INTO applied_trigger (event_id) VALUES (?1) ON CONFLICT DO NOTHING")
                .setParameter(1, eventId).executeUpdate() == 1;
    }

    /**
     * {@link #firstApplication} for a batch in one statement, on the caller's connection: the ids of those applied now for
     * the first time (an id twice in the batch counts once).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> firstApplications(Connection c, Collection<String> eventIds) throws SQLException {
        Set<String> first = new HashSet<>();
        if (eventIds.isEmpty()) {
            return first;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO applied_trigger (event_id) SELECT unnest(?::text[]) ON CONFLICT DO NOTHING RETURNING event_id")) {
            ps.setArray(1, c.createArrayOf("text", eventIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    first.add(rs.getString(1));
                }
            }
        }
        return first;
    }

    /**
     * Issuing to these persons and revoking their certificates take turns until this transaction ends. An issue reads
     * the person's facts, then inserts the certificate; a revocation reads the active certificates. Without turns a
     * death committed between the two is seen by neither: the issue read the facts before it, the revocation could not
     * see the uncommitted certificate, and a dead person's certificate stayed valid (ConcurrentIssueAndRevocationTests).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void takeTurnsWithIssuing(Collection<String> iins) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            AdvisoryLocks.lock(c, iins.stream().map(iin -> "certificates person " + iin).toList());
        }
    }

    /** Revokes every active certificate of these persons whose type the revocation names; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int revoke(Collection<String> iins, RevocationRules.Revocation revocation, String causeEventId) throws SQLException {
        List<String> types = RevocationRules.typeNames(revocation);
        if (iins.isEmpty() || types.isEmpty()) { // nothing to revoke: no turn taken, no query sent
            return 0;
        }
        // after an issue to one of them that is under way has committed, and before one that starts now reads facts
        takeTurnsWithIssuing(iins);
        // rows locked as they are read: of two transactions revoking one certificate, the second waits, re-reads the
        // row, finds it revoked and skips it (what UPDATE … WHERE revoked_at IS NULL did), so it is revoked once.
        // A native query, still of managed entities: the same query in HQL with a lock mode was translated to SQL on
        // every call, and a batch of records calls this for every death, registration, UNFIT exam and abnormal
        // fluorography in it: 18 % of the service's Java samples in a 400k pipeline run's JFR, with no certificate
        // active (docs/benchmarks/pipeline.md).
        @SuppressWarnings("unchecked")
        List<Certificate> active = Certificate.getEntityManager().createNativeQuery("""
                        SELECT * FROM certificate WHERE iin IN (?1) AND type IN (?2) AND revoked_at IS NULL
                        ORDER BY number FOR UPDATE""", Certificate.class)
                .setParameter(1, List.copyOf(iins)).setParameter(2, types).getResultList();
        return revokeAndRecord(active, revocation.reason(), causeEventId);
    }

    /**
     * Revokes one certificate (a person's decision, {@link ManualRevocationReason}) the same way: the row, the REVOKED
     * event in the outbox, the revocation index by {@code revoked_xid}. False when it is unknown or already revoked.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean revokeOne(String number, String reason, String causeId) throws SQLException {
        return revokeAndRecord(Certificate.<Certificate>find("number = ?1 and revokedAt is null", number)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list(), reason, causeId) == 1;
    }

    /** Revokes the locked active certificates and adds a REVOKED event per certificate to the outbox. */
    private int revokeAndRecord(List<Certificate> active, String reason, String causeId) throws SQLException {
        if (active.isEmpty()) {
            return 0;
        }
        // PostgreSQL keeps microseconds: the time is cut to them before it goes into the entity and the event
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<CertificateEvent> events = new ArrayList<>(active.size());
        for (Certificate c : active) {
            c.revokedAt = now;
            c.revocationReason = reason;
            c.revokedByEvent = causeId;
            events.add(Outbox.event("REVOKED", c.number, c.type, c.iin, c.issuedAt, c.expiresAt, c.revokedAt,
                    reason, c.kid, causeId));
        }
        // the updates go out now (a trigger stamps revoked_xid), then the events, on this transaction's connection
        Certificate.flush();
        try (Connection c = dataSource.getConnection()) {
            Outbox.add(c, events.toArray(CertificateEvent[]::new));
        }
        return events.size();
    }
}
