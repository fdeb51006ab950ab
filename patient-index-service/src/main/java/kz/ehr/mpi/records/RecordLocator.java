package kz.ehr.mpi.records;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.db.PgArrays;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;

/**
 * Cross-provider record locator: remembers which provider holds which record of a person (type, date,
 * facility, codes), never the clinical content itself. Idempotent by event id.
 * Plain JDBC, not an entity: an idempotent batch append (one statement over column arrays, ON CONFLICT DO NOTHING) that
 * persist() cannot do without a read per id; measured by MpiStreamBench (docs/benchmarks/patient-index-service.md).
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
        try (Connection c = dataSource.getConnection()) {
            append(c, batch);
        }
    }

    /** Appends the batch's entries on {@code c}, in the caller's transaction (the consumer's, or a benchmark's). */
    public static void append(Connection c, List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        int n = batch.size();
        // String[] columns, sent as binary arrays (PgArrays.of)
        String[][] col = new String[9][n];
        for (int i = 0; i < n; i++) {
            Located r = locate(batch.get(i).value());
            col[0][i] = r.eventId();
            col[1][i] = r.providerId();
            col[2][i] = r.localId();
            col[3][i] = r.iin();
            col[4][i] = r.recordId();
            col[5][i] = r.recordType();
            col[6][i] = r.occurredAt().toString();
            col[7][i] = r.facility();
            col[8][i] = PgArrays.textArrayLiteral(r.codes());
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO located_record (event_id, provider_id, local_id, iin, record_id, record_type, occurred_at, facility, codes)
                SELECT e, p, l, i, r, t, o, f, k::text[]
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[])
                     AS u(e, p, l, i, r, t, o, f, k)
                ON CONFLICT (provider_id, local_id, event_id) DO NOTHING
                """)) {
            for (int k = 0; k < col.length; k++) {
                ps.setArray(k + 1, PgArrays.of(c, k == 6 ? "timestamptz" : "text", col[k]));
            }
            ps.executeUpdate();
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
