package kz.ehr.billing.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;

/** The billing projection of a person's health-record events: attachments, insurance, visits, deaths. */
@ApplicationScoped
public class PersonEvents {
    @Inject
    AgroalDataSource dataSource;

    public record StoredEvent(String eventId, String recordType, String providerId, String sourceRecordId, String occurredAt) {
    }

    /** Stores a batch with one batched insert; an event id seen before is ignored. */
    @Transactional
    public void store(List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            store(c, batch);
        }
    }

    /**
     * The same on a given connection (the caller's transaction), as one statement over column arrays: cheaper for the
     * server than a JDBC batch of thousands of rows. A repeated event id (also within the batch) is skipped.
     * <p>
     * A redelivery is the exception, so the batch (its first occurrence of each event id) is first written with a plain
     * INSERT in a savepoint: {@code ON CONFLICT DO NOTHING} costs the server an extra probe of the primary key and a
     * confirmation record per row, ~20 % of the statement. If an id was stored before, that INSERT fails on the key and is
     * rolled back, and the batch is written again skipping the stored ids, as it always was.
     */
    public static void store(Connection c, List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        List<Delivery<HealthRecordEvent>> first = new ArrayList<>(batch.size());
        for (Delivery<HealthRecordEvent> d : batch) {
            if (ids.add(d.value().getEnvelope().getEventId())) {
                first.add(d);
            }
        }
        if (!Jdbc.tryInSavepoint(c, "person_event_insert", () -> insert(c, first, ""))) {
            insert(c, first, " ON CONFLICT (event_id) DO NOTHING");
        }
    }

    private static void insert(Connection c, List<Delivery<HealthRecordEvent>> batch, String onConflict) throws SQLException {
        int n = batch.size();
        String[] id = new String[n], person = new String[n], type = new String[n], provider = new String[n], source = new String[n],
                occurred = new String[n];
        byte[][] payload = new byte[n][];
        for (int i = 0; i < n; i++) {
            Delivery<HealthRecordEvent> d = batch.get(i);
            HealthRecordEvent e = d.value();
            id[i] = e.getEnvelope().getEventId();
            person[i] = d.key();
            type[i] = e.getRecordType();
            provider[i] = e.getEnvelope().getProviderId();
            source[i] = e.getEnvelope().getSourceRecordId();
            occurred[i] = e.getEnvelope().getOccurredAt().toString();
            payload[i] = d.raw();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO person_event (event_id, person_key, record_type, provider_id, source_record_id, occurred_at, payload)
                     SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::bytea[])"""
                     + onConflict)) {
            Object[][] text = {id, person, type, provider, source, occurred};
            for (int col = 0; col < text.length; col++) {
                ps.setArray(col + 1, c.createArrayOf("text", text[col]));
            }
            ps.setArray(7, c.createArrayOf("bytea", payload));
            ps.executeUpdate();
        }
    }

    /** One page of a person's events, oldest first, and how many there are in all. */
    public record Page(long total, List<StoredEvent> events, String nextCursor) {
    }

    /**
     * At most {@code limit} events of the person after the cursor ({@code occurredAt/eventId} of the previous page's
     * last event; null: from the first). A person may have 50,000 records: the evidence comes in pages with a count,
     * never in one list as long as the history.
     */
    public Page of(String personKey, Instant afterOccurred, String afterEventId, int limit) throws SQLException {
        List<StoredEvent> out = new ArrayList<>();
        long total;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM person_event WHERE person_key = ?")) {
                ps.setString(1, personKey);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT event_id, record_type, provider_id, source_record_id, occurred_at FROM person_event
                    WHERE person_key = ?""" + (afterOccurred == null ? "" : " AND (occurred_at, event_id) > (?, ?)")
                    + " ORDER BY occurred_at, event_id LIMIT ?")) {
                int i = 1;
                ps.setString(i++, personKey);
                if (afterOccurred != null) {
                    Jdbc.instant(ps, i++, afterOccurred);
                    ps.setString(i++, afterEventId);
                }
                ps.setInt(i, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getTimestamp(5).toInstant().toString()));
                    }
                }
            }
        }
        String next = null;
        if (out.size() > limit) {
            out = out.subList(0, limit);
            StoredEvent last = out.get(limit - 1);
            next = last.occurredAt() + "/" + last.eventId();
        }
        return new Page(total, out, next);
    }
}
