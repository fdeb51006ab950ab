package kz.ehr.billing.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    /** The same on a given connection (the caller's transaction). */
    public static void store(Connection c, List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO person_event (event_id, person_key, record_type, provider_id, source_record_id, occurred_at, payload)
                     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING""")) {
            for (Delivery<HealthRecordEvent> d : batch) {
                HealthRecordEvent e = d.value();
                ps.setString(1, e.getEnvelope().getEventId());
                ps.setString(2, d.key());
                ps.setString(3, e.getRecordType());
                ps.setString(4, e.getEnvelope().getProviderId());
                ps.setString(5, e.getEnvelope().getSourceRecordId());
                ps.setTimestamp(6, Timestamp.from(e.getEnvelope().getOccurredAt()));
                ps.setBytes(7, d.raw());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public List<StoredEvent> of(String personKey) throws SQLException {
        List<StoredEvent> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT event_id, record_type, provider_id, source_record_id, occurred_at FROM person_event
                     WHERE person_key = ? ORDER BY occurred_at, event_id""")) {
            ps.setString(1, personKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant().toString()));
                }
            }
        }
        return out;
    }
}
