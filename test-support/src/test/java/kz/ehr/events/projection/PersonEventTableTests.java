package kz.ehr.events.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.testsupport.TestPlatform;

/**
 * The shared person_event table against the real PostgreSQL (its shape as billing V1+V9 and certificates V1+V2+V7 make
 * it): stored once whatever is redelivered, the newest version of a record whatever order versions arrive in, read in pages.
 */
class PersonEventTableTests {
    private String url;

    @BeforeEach
    void table() throws SQLException {
        url = TestPlatform.freshDatabase("ehr_person_event_test");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS person_event");
            s.execute("""
                    CREATE TABLE person_event (event_id text NOT NULL, person_key text NOT NULL, record_type text NOT NULL,
                        provider_id text NOT NULL, source_record_id text NOT NULL, occurred_at timestamptz NOT NULL,
                        payload bytea NOT NULL, stored_at timestamptz NOT NULL DEFAULT now(), local_id text,
                        record_version int NOT NULL, PRIMARY KEY (provider_id, source_record_id))""");
        }
    }

    @Test
    void aRedeliveredOrRepeatedEventIsStoredOnceAndPagesWalkTheWholeHistoryInOrder() throws SQLException {
        PersonEventTable table = new PersonEventTable(true, true);
        List<Delivery<HealthRecordEvent>> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            batch.add(delivery("e-" + i, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i / 2)));
        }
        batch.add(batch.get(7)); // twice in one batch
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            table.store(c, batch);
            table.store(c, batch.subList(100, 120)); // redelivered: the plain insert fails on the key, the fallback skips
            c.commit();
        }
        assertThat(count()).isEqualTo(250);

        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String after = null;
        try (Connection c = connect()) {
            do {
                PersonEventTable.Page page = table.page(c, "850315300019", after, 40);
                assertThat(page.total()).isEqualTo(250);
                page.events().forEach(e -> order.add(e.occurredAt() + "/" + e.eventId()));
                page.events().forEach(e -> assertThat(seen.add(e.eventId())).as("each event on one page only").isTrue());
                after = page.nextCursor();
            } while (after != null);
            assertThat(seen).hasSize(250);
            assertThat(order).isSorted();
            assertThatThrownBy(() -> table.page(c, "850315300019", "not-a-cursor", 10))
                    .isInstanceOfSatisfying(PersonEventTable.InvalidPageException.class, e -> assertThat(e.field()).isEqualTo("after"));
            assertThatThrownBy(() -> table.page(c, "850315300019", null, PersonEventTable.MAX_LIMIT + 1))
                    .isInstanceOfSatisfying(PersonEventTable.InvalidPageException.class,
                            e -> assertThat(e.code()).isEqualTo("INVALID_LIMIT"));
        }
    }

    @Test
    void theHighestVersionOfARecordWinsWhateverOrderItsVersionsArriveIn() throws SQLException {
        PersonEventTable table = new PersonEventTable(true, true);
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            table.store(c, List.of(version("r-1", 3, "850315300019")));
            table.store(c, List.of(version("r-1", 1, "850315300019"))); // older, later: ignored
            table.store(c, List.of(version("r-1", 2, "850315300019"), version("r-2", 1, "850315300019"))); // one older, one new
            table.store(c, List.of(version("r-1", 3, "850315300019"))); // redelivered: no change
            // within one batch, out of order: the highest wins, wherever it stands
            table.store(c, List.of(version("r-3", 2, "850315300019"), version("r-3", 4, "850315300019"),
                    version("r-3", 1, "850315300019")));
            c.commit();
        }
        assertThat(stored("r-1")).isEqualTo("v3 850315300019 3");
        assertThat(stored("r-2")).isEqualTo("v1 850315300019 1");
        assertThat(stored("r-3")).isEqualTo("v4 850315300019 4");
        assertThat(count()).isEqualTo(3);

        // a newer version moves the record to the person it now names (a corrected IIN)
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            table.store(c, List.of(version("r-1", 4, "900101400013")));
            table.store(c, List.of(version("r-1", 2, "850315300019")));
            c.commit();
            assertThat(table.page(c, "850315300019", null, 10).events()).extracting(PersonEventTable.StoredEvent::sourceRecordId)
                    .containsExactlyInAnyOrder("r-2", "r-3");
            assertThat(table.page(c, "900101400013", null, 10).events()).extracting(PersonEventTable.StoredEvent::eventId)
                    .containsExactly("r-1-v4");
        }
        assertThat(stored("r-1")).isEqualTo("v4 900101400013 4");
    }

    /** Version {@code v} of record {@code recordId} of person {@code iin}; its payload names the version. */
    private static Delivery<HealthRecordEvent> version(String recordId, int v, String iin) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        HealthRecordEvent e = HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(recordId + "-v" + v, "ENCOUNTER", "damumed", recordId, at, at, null))
                .setRecordType("ENCOUNTER").setRecordVersion(v)
                .setPatient(PatientInfo.newBuilder().setLocalId("P-1").setIin(iin).setIinStatus("VALID").build())
                .build();
        return new Delivery<>("ehr.care.v1", 0, 0, iin, e, ("v" + v).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The stored row of a record: its payload, person and version. */
    private String stored(String recordId) throws SQLException {
        try (Connection c = connect(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT convert_from(payload, 'UTF8'), person_key, record_version FROM person_event WHERE source_record_id = ?")) {
            ps.setString(1, recordId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3);
            }
        }
    }

    private static Delivery<HealthRecordEvent> delivery(String eventId, Instant at) {
        HealthRecordEvent e = HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(eventId, "ENCOUNTER", "damumed", "r-" + eventId, at, at, null))
                .setRecordType("ENCOUNTER")
                .setPatient(PatientInfo.newBuilder().setLocalId("P-1").setIin("850315300019").setIinStatus("VALID").build())
                .build();
        return new Delivery<>("ehr.care.v1", 0, 0, "850315300019", e, new byte[] {1, 2, 3});
    }

    private long count() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM person_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, TestPlatform.pgUser(), TestPlatform.pgPassword());
    }
}
