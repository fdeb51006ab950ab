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

/** The shared person_event table against the real PostgreSQL: stored once whatever is redelivered, read in pages. */
class PersonEventTableTests {
    private String url;

    @BeforeEach
    void table() throws SQLException {
        url = TestPlatform.freshDatabase("ehr_person_event_test");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS person_event");
            s.execute("""
                    CREATE TABLE person_event (event_id text PRIMARY KEY, person_key text NOT NULL, record_type text NOT NULL,
                        provider_id text NOT NULL, source_record_id text NOT NULL, occurred_at timestamptz NOT NULL,
                        payload bytea NOT NULL, stored_at timestamptz NOT NULL DEFAULT now(), local_id text)""");
        }
    }

    @Test
    void aRedeliveredOrRepeatedEventIsStoredOnceAndPagesWalkTheWholeHistoryInOrder() throws SQLException {
        PersonEventTable table = new PersonEventTable(true);
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
