package kz.ehr.mpi.records;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;

/**
 * Cross-provider record locator: remembers which provider holds which record of a person (type, date,
 * facility, codes), never the clinical content itself. Idempotent by event id.
 * Plain JDBC, not an entity: an idempotent batch append (ON CONFLICT (event_id) DO NOTHING) persist() cannot do without a read per id; not benchmarked.
 */
@ApplicationScoped
public class RecordLocator {
    @Inject
    AgroalDataSource dataSource;

    /** What the locator keeps of one record. */
    public record Located(String eventId, String providerId, String localId, String iin, String recordId, String recordType,
                          Instant occurredAt, String facility, List<String> codes) {
    }

    @Transactional
    public void apply(List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO located_record (event_id, provider_id, local_id, iin, record_id, record_type, occurred_at, facility, codes)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING
                     """)) {
            for (Delivery<HealthRecordEvent> d : batch) {
                Located r = locate(d.value());
                ps.setString(1, r.eventId());
                ps.setString(2, r.providerId());
                ps.setString(3, r.localId());
                ps.setString(4, r.iin());
                ps.setString(5, r.recordId());
                ps.setString(6, r.recordType());
                ps.setTimestamp(7, Timestamp.from(r.occurredAt()));
                ps.setString(8, r.facility());
                ps.setArray(9, c.createArrayOf("text", r.codes().toArray()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The locator entry of an event: facility and codes from whichever type block it carries. */
    public static Located locate(HealthRecordEvent e) {
        String facility = null;
        List<String> codes = new ArrayList<>();
        if (e.getAttachment() != null) {
            facility = e.getAttachment().getPolyclinicBin();
        } else if (e.getInsurance() != null) {
            codes.add(e.getInsurance().getInsured() ? "INSURED" : "NOT_INSURED");
        } else if (e.getEncounter() != null) {
            facility = e.getEncounter().getPolyclinicBin();
            codes.add(e.getEncounter().getKind());
            codes.addAll(e.getEncounter().getDiagnoses());
            codes.addAll(e.getEncounter().getServices());
        } else if (e.getObservation() != null) {
            codes.add(e.getObservation().getCode());
        } else if (e.getImmunization() != null) {
            codes.add(e.getImmunization().getVaccine());
        } else if (e.getExam() != null) {
            facility = e.getExam().getFacilityBin();
            codes.add(e.getExam().getPurpose());
            codes.add(e.getExam().getConclusion());
        } else if (e.getDispensary() != null) {
            codes.add(e.getDispensary().getRegister());
            codes.add(e.getDispensary().getStatus());
        } else if (e.getHospitalization() != null) {
            facility = e.getHospitalization().getFacilityBin();
        }
        return new Located(e.getEnvelope().getEventId(), e.getEnvelope().getProviderId(), e.getPatient().getLocalId(),
                "VALID".equals(e.getPatient().getIinStatus()) ? e.getPatient().getIin() : null,
                e.getEnvelope().getSourceRecordId(), e.getRecordType(), e.getEnvelope().getOccurredAt(), facility,
                codes.stream().filter(java.util.Objects::nonNull).toList());
    }
}
