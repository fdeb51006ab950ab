package kz.ehr.billing.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.events.Encounter;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/**
 * The event log and the visits of a batch are first written with plain INSERTs (inside a savepoint of the batch's
 * transaction); when a key turns out to be stored already, that INSERT is rolled back and the rows go through the
 * upsert as before. These cases force the fallback: the stored result, the rows reported as written and the rest of the
 * transaction must be as if only the upsert had run.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class FastPathFallbackTests {
    @Inject
    AgroalDataSource dataSource;

    interface Work {
        void run(Connection c) throws SQLException;
    }

    void inTransaction(Work work) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                work.run(c);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static Delivery<HealthRecordEvent> encounter(String eventId, String recordId, String iin, byte[] raw) {
        Instant start = Instant.parse("2025-10-06T04:00:00Z");
        HealthRecordEvent e = HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(eventId, "ENCOUNTER", "fastpath", recordId, start, Instant.now(), null))
                .setRecordType("ENCOUNTER")
                .setPatient(PatientInfo.newBuilder().setLocalId("L-" + iin).setIin(iin).setIinStatus("VALID").build())
                .setEncounter(Encounter.newBuilder().setPolyclinicBin("100140000201").setDoctorId("D1").setStart(start)
                        .setEnd(start.plusSeconds(900)).setKind("VISIT").setServices(List.of("S1")).setReferral(false).build())
                .build();
        return new Delivery<>("ehr.care.v1", 0, 0, iin, e, raw);
    }

    /** The stored event ids of these, each once per row (billing keeps no raw event: which copy was kept is not visible). */
    List<String> storedEvents(List<String> ids) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT event_id FROM person_event WHERE event_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Test
    void aRedeliveredOrRepeatedEventIdIsStoredOnceAndTheBatchGoesOn() throws SQLException {
        String a = UUID.randomUUID().toString(), b = UUID.randomUUID().toString(), c = UUID.randomUUID().toString();
        String iin = "8003019" + "%05d".formatted(Math.abs(a.hashCode()) % 100000);
        // within one batch: an id twice is stored once (which copy is kept: PersonEventTableTests, a table with payloads)
        inTransaction(conn -> PersonEvents.store(conn, List.of(encounter(a, "r-" + a, iin, new byte[] {1}),
                encounter(b, "r-" + b, iin, new byte[] {2}), encounter(a, "r-" + a, iin, new byte[] {3}))));
        assertThat(storedEvents(List.of(a, b))).containsExactlyInAnyOrder(a, b);
        // a redelivery (a and b again) with a new event: the plain INSERT fails on a, the batch is stored skipping a and b,
        // and the transaction goes on (a later statement in it still works and commits)
        inTransaction(conn -> {
            PersonEvents.store(conn, List.of(encounter(a, "r-" + a, iin, new byte[] {4}), encounter(c, "r-" + c, iin, new byte[] {5}),
                    encounter(b, "r-" + b, iin, new byte[] {6})));
            try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM person_event WHERE event_id = ANY(?)")) {
                ps.setArray(1, conn.createArrayOf("text", new Object[] {a, b, c}));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(3);
                }
            }
        });
        assertThat(storedEvents(List.of(a, b, c))).containsExactlyInAnyOrder(a, b, c);
    }

    static BillingProjection.VisitRow row(String recKey, String person, String doctor, int version) {
        Instant start = Instant.parse("2025-10-07T05:00:00Z");
        return new BillingProjection.VisitRow(recKey, person, "fastpath:L-" + person, "100140000201", doctor, start, start.plusSeconds(600),
                LocalDate.of(2025, 10, 7), "VISIT", null, List.of("S1", "a,\"b\""), false, version);
    }

    record StoredVisit(String person, String doctor, int version, boolean flagged) {
    }

    StoredVisit storedVisit(String recKey) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT person_key, doctor_id, record_version, flagged FROM visit WHERE rec_key = ?")) {
            ps.setString(1, recKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new StoredVisit(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4)) : null;
            }
        }
    }

    /**
     * The prefetch saw none of the keys (as when another writer commits them right after it read): the plain INSERT
     * fails, and the upsert keeps the newer stored version, overwrites the older one, keeps the monitor's columns of the
     * updated row and reports exactly the rows it wrote, as stored.
     */
    @Test
    void visitsTheProbeMissedGoThroughTheUpsertAsBefore() throws SQLException {
        String s = UUID.randomUUID().toString();
        String newer = "fastpath:newer-" + s, older = "fastpath:older-" + s, fresh = "fastpath:fresh-" + s;
        inTransaction(c -> {
            Affected first = Affected.empty();
            BillingProjection.upsertVisits(c, List.of(row(newer, "P1", "D1", 3), row(older, "P1", "D1", 1)), first, Set.of());
            assertThat(first.writtenVisits()).containsOnlyKeys(newer, older); // the plain INSERT path: both new
            assertThat(first.persons()).isEmpty(); // nothing was stored before: nothing moved
            assertThat(first.doctorDays()).isEmpty();
            try (PreparedStatement ps = c.prepareStatement("UPDATE visit SET flagged = true WHERE rec_key = ?")) {
                ps.setString(1, older);
                ps.executeUpdate();
            }
        });
        Affected affected = Affected.empty();
        Map<String, Affected.VisitState> written = affected.writtenVisits();
        inTransaction(c -> {
            List<BillingProjection.VisitRow> rows = new ArrayList<>(List.of(row(newer, "P2", "D2", 2), row(older, "P2", "D2", 2),
                    row(fresh, "P2", "D2", 1)));
            BillingProjection.upsertVisits(c, rows, affected, Set.of()); // claims nothing is stored
            // the transaction is usable after the rolled-back INSERT
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM visit WHERE rec_key = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("text", new Object[] {newer, older, fresh}));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(3);
                }
            }
        });
        assertThat(storedVisit(newer)).isEqualTo(new StoredVisit("P1", "D1", 3, false)); // the stored version 3 stands
        assertThat(storedVisit(older)).isEqualTo(new StoredVisit("P2", "D2", 2, true)); // updated, flagged kept
        assertThat(storedVisit(fresh)).isEqualTo(new StoredVisit("P2", "D2", 1, false));
        assertThat(written).containsOnlyKeys(older, fresh);
        assertThat(written.get(older)).isEqualTo(row(older, "P2", "D2", 2).stored(false, true));
        assertThat(written.get(fresh)).isEqualTo(row(fresh, "P2", "D2", 1).stored(false, false));
        // the updated visit left P1 and D1's day: both are to be screened again; the newer one did not move
        assertThat(affected.persons()).containsExactly("P1");
        assertThat(affected.doctorDays()).containsExactly(new Affected.DoctorDayKey("100140000201", "D1", LocalDate.of(2025, 10, 7)));
        // and the rows reported as written are the rows as stored, column for column (what the monitor would read)
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + BillingProjection.VISIT_COLUMNS + " FROM visit WHERE rec_key = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", new Object[] {older, fresh}));
            try (ResultSet rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    Affected.VisitState v = BillingProjection.visitState(rs);
                    assertThat(written.get(v.visit().visitKey())).isEqualTo(v);
                    n++;
                }
                assertThat(n).isEqualTo(2);
            }
        }
    }
}
