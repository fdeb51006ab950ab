package kz.ehr.mpi.linking;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;

/**
 * Stores source records and gives each an enterprise id. Walking-skeleton rule: a valid IIN links to
 * that IIN's enterprise patient; anything else gets an enterprise patient of its own.
 */
@ApplicationScoped
public class SourceRecordLinker {
    @Inject
    AgroalDataSource dataSource;

    public record SourceLink(String providerId, String localId, UUID enterpriseId, String iin) {
    }

    @Transactional
    public void apply(List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (Delivery<HealthRecordEvent> d : batch) {
                HealthRecordEvent e = d.value();
                if (!firstTime(c, e.getEnvelope().getEventId())) {
                    continue;
                }
                link(c, e);
            }
        }
    }

    private static boolean firstTime(Connection c, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO processed_event (event_id) VALUES (?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, eventId);
            return ps.executeUpdate() == 1;
        }
    }

    private static void link(Connection c, HealthRecordEvent e) throws SQLException {
        PatientInfo p = e.getPatient();
        String provider = e.getEnvelope().getProviderId();
        boolean validIin = "VALID".equals(p.getIinStatus());
        UUID enterpriseId = existingLink(c, provider, p.getLocalId())
                .orElseGet(() -> validIin ? enterpriseForIin(c, p.getIin()) : newEnterprise(c, null));
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO source_record (provider_id, local_id, enterprise_id, iin, iin_status, last_name, first_name,
                    middle_name, birth_date, sex, phone, address, last_event_id, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
                ON CONFLICT (provider_id, local_id) DO UPDATE SET iin = excluded.iin, iin_status = excluded.iin_status,
                    last_name = excluded.last_name, first_name = excluded.first_name, middle_name = excluded.middle_name,
                    birth_date = excluded.birth_date, sex = excluded.sex, phone = excluded.phone,
                    address = excluded.address, last_event_id = excluded.last_event_id, updated_at = now()
                """)) {
            ps.setString(1, provider);
            ps.setString(2, p.getLocalId());
            ps.setObject(3, enterpriseId);
            ps.setString(4, p.getIin());
            ps.setString(5, p.getIinStatus());
            ps.setString(6, p.getLastName());
            ps.setString(7, p.getFirstName());
            ps.setString(8, p.getMiddleName());
            ps.setDate(9, p.getBirthDate() == null ? null : Date.valueOf(p.getBirthDate()));
            ps.setString(10, p.getSex());
            ps.setString(11, p.getPhone());
            ps.setString(12, p.getAddress());
            ps.setString(13, e.getEnvelope().getEventId());
            ps.executeUpdate();
        }
    }

    private static Optional<UUID> existingLink(Connection c, String provider, String localId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT enterprise_id FROM source_record WHERE provider_id = ? AND local_id = ?")) {
            ps.setString(1, provider);
            ps.setString(2, localId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private static UUID enterpriseForIin(Connection c, String iin) {
        try (PreparedStatement ps = c.prepareStatement("SELECT enterprise_id FROM enterprise_patient WHERE iin = ?")) {
            ps.setString(1, iin);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getObject(1, UUID.class);
                }
            }
            return newEnterprise(c, iin);
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static UUID newEnterprise(Connection c, String iin) {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO enterprise_patient (enterprise_id, iin) VALUES (?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, iin);
            ps.executeUpdate();
            return id;
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public Optional<SourceLink> find(String providerId, String localId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT enterprise_id, iin FROM source_record WHERE provider_id = ? AND local_id = ?")) {
            ps.setString(1, providerId);
            ps.setString(2, localId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new SourceLink(providerId, localId, rs.getObject(1, UUID.class), rs.getString(2)))
                        : Optional.empty();
            }
        }
    }
}
