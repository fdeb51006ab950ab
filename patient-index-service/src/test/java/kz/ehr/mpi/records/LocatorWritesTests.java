package kz.ehr.mpi.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import kz.ehr.events.Encounter;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Observation;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.mpi.bench.BenchDatabase;

/** The locator's column-array append on a real database: every code reads back as sent, a redelivery adds nothing. */
class LocatorWritesTests {
    @Test
    void codesWithQuotesCommasAndBackslashesReadBackAsSentAndARedeliveryIsIgnored() throws Exception {
        PGSimpleDataSource ds = BenchDatabase.fresh("ehr_mpi_locator_tests", true);
        Instant at = Instant.parse("2026-11-02T08:15:30.123Z");
        List<String> odd = List.of("A15.0", "say \"hi\"", "a,b", "back\\slash", "{brace}", "NULL", "");
        HealthRecordEvent encounter = event("e-1", "ENCOUNTER", "VALID", at).setEncounter(Encounter.newBuilder().setPolyclinicBin("123456789012")
                .setStart(at).setKind("VISIT").setDiagnoses(odd).setServices(List.of()).setReferral(false).build()).build();
        HealthRecordEvent observation = event("e-2", "OBSERVATION", "INVALID", at)
                .setObservation(Observation.newBuilder().setCode("HGB").build()).build();
        HealthRecordEvent death = event("e-3", "DEATH", "MISSING", at).build();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            RecordLocator.append(c, List.of(delivery(encounter), delivery(observation), delivery(death)));
            RecordLocator.append(c, List.of(delivery(observation), delivery(encounter)));
            c.commit();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT event_id, iin, facility, codes, occurred_at FROM located_record ORDER BY event_id")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("e-1");
                assertThat(rs.getString(2)).isEqualTo("850315300019");
                assertThat(rs.getString(3)).isEqualTo("123456789012");
                assertThat(Arrays.asList((String[]) rs.getArray(4).getArray())).isEqualTo(
                        java.util.stream.Stream.concat(java.util.stream.Stream.of("VISIT"), odd.stream()).toList());
                assertThat(rs.getTimestamp(5).toInstant()).isEqualTo(at);
                rs.next();
                assertThat(rs.getString(2)).as("an invalid IIN is not kept").isNull();
                assertThat(Arrays.asList((String[]) rs.getArray(4).getArray())).containsExactly("HGB");
                rs.next();
                assertThat(rs.getString(3)).isNull();
                assertThat((String[]) rs.getArray(4).getArray()).isEmpty();
                assertThat(rs.next()).as("a redelivered event adds no row").isFalse();
            }
        }
    }

    static HealthRecordEvent.Builder event(String eventId, String type, String iinStatus, Instant at) {
        return HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(eventId, type, "damumed", "R-" + eventId, at, at, null))
                .setRecordType(type)
                .setPatient(PatientInfo.newBuilder().setLocalId("P-1").setIin("850315300019").setIinStatus(iinStatus).build());
    }

    static Delivery<HealthRecordEvent> delivery(HealthRecordEvent e) {
        return new Delivery<>("ehr.care.v1", 0, 0, "damumed:P-1", e, null);
    }
}
