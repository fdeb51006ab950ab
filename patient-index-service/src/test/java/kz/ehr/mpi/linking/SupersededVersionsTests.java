package kz.ehr.mpi.linking;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import kz.ehr.mpi.TestPeople;
import kz.ehr.mpi.TestPeople.Person;
import kz.ehr.mpi.bench.BenchDatabase;
import kz.ehr.mpi.matching.Demographics;

/**
 * Newer wins in the source records (issue #15): versions of one PATIENT record delivered out of order, across batches
 * and within one, leave the source record on the highest version's content, and a late older version changes nothing.
 */
class SupersededVersionsTests {
    private final Person person = TestPeople.random("F");

    @Test
    void anOlderVersionDeliveredAfterANewerOneIsNotApplied() throws SQLException {
        DataSource ds = BenchDatabase.fresh("ehr_mpi_versions", true);
        LinkingEngine engine = new LinkingEngine(ReplayDeterminismTests.MATCHER);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            engine.link(c, List.of(version(3)));
            c.commit();
            LinkingEngine.Result late = engine.link(c, List.of(version(1)));
            c.commit();
            assertThat(late.applied()).as("version 1 after version 3").isZero();
            assertThat(held(c)).isEqualTo(applied(3));

            // within one batch: version 5 before version 4, and 2 again
            engine.link(c, List.of(version(5), version(4), version(2)));
            c.commit();
            assertThat(held(c)).isEqualTo(applied(5));
            engine.link(c, List.of(version(6)));
            c.commit();
            assertThat(held(c)).as("a newer version still applies").isEqualTo(applied(6));
        }
    }

    /** Version {@code v} of one PATIENT record: the phone number tells the versions apart. */
    private LinkingEngine.Incoming version(int v) {
        Demographics d = new Demographics(person.iin(), person.lastName(), person.firstName(), person.middleName(),
                person.birthDate(), person.sex(), phoneOf(v), null);
        return new LinkingEngine.Incoming("ev-" + person.iin() + "-" + v, "damumed", "P-" + person.iin(), "VALID", d,
                Instant.parse("2026-01-01T00:00:00Z"), "rec-" + person.iin(), v);
    }

    private static String phoneOf(int v) {
        return "+7701000000" + v;
    }

    /** What the source record holds after version {@code v} was applied: that version's event id. */
    private String applied(int v) {
        return "ev-" + person.iin() + "-" + v;
    }

    private String held(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_event_id FROM source_record WHERE provider_id = 'damumed' AND local_id = ?")) {
            ps.setString(1, "P-" + person.iin());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
