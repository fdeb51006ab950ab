package kz.ehr.billing.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import kz.ehr.events.BillingEvent;
import kz.ehr.events.EventCodec;
import kz.ehr.events.Envelopes;
import kz.ehr.events.Topics;

/** Writes derived billing events into the outbox on the caller's connection, i.e. in the caller's transaction. */
public final class Outbox {
    private Outbox() {
    }

    /** A billing event with its envelope; {@code eventId} must be stable where the cause can be derived twice. */
    public static BillingEvent event(String eventId, String type, String bin, String sourceRecordId) {
        Instant now = Instant.now();
        return BillingEvent.newBuilder()
                .setEnvelope(Envelopes.of(eventId, type, "billing-service", sourceRecordId, now, now, null))
                .setBillingEventType(type)
                .setPolyclinicBin(bin)
                .build();
    }

    /** Adds events; an event id already in the outbox is ignored (idempotent derivation). */
    public static void add(Connection c, List<BillingEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        EventCodec<BillingEvent> codec = EventCodec.of(BillingEvent.class);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO outbox (event_id, topic, event_key, payload) VALUES (?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING")) {
            for (BillingEvent e : events) {
                ps.setString(1, e.getEnvelope().getEventId());
                ps.setString(2, Topics.BILLING_EVENTS.topic);
                ps.setString(3, e.getPolyclinicBin());
                ps.setBytes(4, codec.encode(e));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
