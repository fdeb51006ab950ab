package kz.ehr.certificates.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import kz.ehr.events.CertificateEvent;
import kz.ehr.events.EventCodec;
import kz.ehr.events.Envelopes;
import kz.ehr.events.Topics;
import kz.ehr.events.outbox.OutboxRow;

/** Certificate events for the shared outbox, written on the caller's connection, i.e. inside the caller's transaction. */
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

    /** Into the shared outbox, keyed by IIN: a person's issues and revocations go out in commit order. */
    public static void add(Connection c, CertificateEvent... events) throws SQLException {
        List<OutboxRow> rows = new ArrayList<>(events.length);
        for (CertificateEvent e : events) {
            rows.add(new OutboxRow(e.getEnvelope().getEventId(), Topics.CERTIFICATE_EVENTS.topic, e.getIin(), CODEC.encode(e)));
        }
        kz.ehr.events.outbox.Outbox.add(c, rows);
    }
}
