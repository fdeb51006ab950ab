package kz.ehr.certificates.revocation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import kz.ehr.certificates.eligibility.RevocationRules;
import kz.ehr.certificates.outbox.Outbox;
import kz.ehr.events.CertificateEvent;

/** Revokes active certificates and records a REVOKED event for each in the outbox, in the caller's transaction. */
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
     * so that replaying an old registration never revokes a certificate issued after it.
     */
    public boolean firstApplication(String eventId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO applied_trigger (event_id) VALUES (?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, eventId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Revokes every active certificate of these persons whose type the revocation names; returns how many. */
    public int revoke(Collection<String> iins, RevocationRules.Revocation revocation, String causeEventId) throws SQLException {
        if (iins.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE certificate SET revoked_at = ?, revocation_reason = ?, revoked_by_event = ?
                     WHERE iin = ANY (?) AND type = ANY (?) AND revoked_at IS NULL
                     RETURNING number, type, iin, issued_at, expires_at, revoked_at, kid""")) {
            ps.setArray(4, c.createArrayOf("text", iins.toArray()));
            ps.setArray(5, c.createArrayOf("text", RevocationRules.typeNames(revocation).toArray()));
            return revokeAndRecord(c, ps, revocation.reason(), causeEventId);
        }
    }

    /**
     * Revokes one certificate (a person's decision, {@link ManualRevocationReason}) the same way: the row, the REVOKED
     * event in the outbox, the revocation index by {@code revoked_xid}. False when it is unknown or already revoked.
     */
    public boolean revokeOne(String number, String reason, String causeId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE certificate SET revoked_at = ?, revocation_reason = ?, revoked_by_event = ?
                     WHERE number = ? AND revoked_at IS NULL
                     RETURNING number, type, iin, issued_at, expires_at, revoked_at, kid""")) {
            ps.setString(4, number);
            return revokeAndRecord(c, ps, reason, causeId) == 1;
        }
    }

    /** Runs a revoking UPDATE (parameters 1-3 are set here) and adds a REVOKED event per revoked row to the outbox. */
    private int revokeAndRecord(Connection c, PreparedStatement ps, String reason, String causeId) throws SQLException {
        List<CertificateEvent> events = new ArrayList<>();
        ps.setTimestamp(1, Timestamp.from(clock.instant()));
        ps.setString(2, reason);
        ps.setString(3, causeId);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                events.add(Outbox.event("REVOKED", rs.getString(1), rs.getString(2), rs.getString(3),
                        instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)),
                        reason, rs.getString(7), causeId));
            }
        }
        if (!events.isEmpty()) {
            Outbox.add(c, events.toArray(CertificateEvent[]::new));
        }
        return events.size();
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
