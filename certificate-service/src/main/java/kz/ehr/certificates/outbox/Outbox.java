package kz.ehr.certificates.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

import kz.ehr.events.CertificateEvent;
import kz.ehr.events.EventCodec;
import kz.ehr.events.Envelopes;
import kz.ehr.events.Topics;

/** Writes certificate events into the outbox on the caller's connection, i.e. inside the caller's transaction. */
public final class Outbox {
    private static final EventCodec<CertificateEvent> CODEC = EventCodec.of(CertificateEvent.class);

    private Outbox() {
    }

    /** The event of a certificate fact; its id derives from number + kind, so writing it twice stores it once. */
    public static CertificateEvent event(String kind, String number, String type, String iin, Instant issuedAt,
                                         Instant expiresAt, Instant revokedAt, String reason, String kid, String cause) {
        Instant at = revokedAt != null ? revokedAt : issuedAt;
        return CertificateEvent.newBuilder()
                .setEnvelope(Envelopes.of(Envelopes.stableEventId("certificate", number, kind), "CERTIFICATE_" + kind,
                        "certificate-service", cause == null ? number : cause, at, Instant.now(), null))
                .setCertificateEventType(kind)
                .setCertificateNumber(number)
                .setCertificateType(type)
                .setIin(iin)
                .setIssuedAt(issuedAt)
                .setExpiresAt(expiresAt)
                .setRevokedAt(revokedAt)
                .setReason(reason)
                .setKeyId(kid)
                .build();
    }

    public static byte[] encode(CertificateEvent e) {
        return CODEC.encode(e);
    }

    public static void add(Connection c, CertificateEvent... events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outbox (event_id, topic, event_key, payload) VALUES (?, ?, ?, ?)
                ON CONFLICT (event_id) DO NOTHING""")) {
            for (CertificateEvent e : events) {
                ps.setString(1, e.getEnvelope().getEventId());
                ps.setString(2, Topics.CERTIFICATE_EVENTS.topic);
                ps.setString(3, e.getIin());
                ps.setBytes(4, CODEC.encode(e));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
