package kz.ehr.billing.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import kz.ehr.events.BillingEvent;
import kz.ehr.events.EventCodec;
import kz.ehr.events.Envelopes;
import kz.ehr.events.Topics;
import kz.ehr.events.outbox.OutboxRow;

/** Derived billing events for the shared outbox, written on the caller's connection, i.e. in the caller's transaction. */
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

    /** Adds events to the shared outbox, keyed by polyclinic BIN; an event id already there is ignored. */
    public static void add(Connection c, List<BillingEvent> events) throws SQLException {
        EventCodec<BillingEvent> codec = EventCodec.of(BillingEvent.class);
        List<OutboxRow> rows = new ArrayList<>(events.size());
        for (BillingEvent e : events) {
            rows.add(new OutboxRow(e.getEnvelope().getEventId(), Topics.BILLING_EVENTS.topic, e.getPolyclinicBin(), codec.encode(e)));
        }
        kz.ehr.events.outbox.Outbox.add(c, rows);
    }
}
