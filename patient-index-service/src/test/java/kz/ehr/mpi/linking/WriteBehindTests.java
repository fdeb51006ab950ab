package kz.ehr.mpi.linking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import kz.ehr.mpi.TestPeople;
import kz.ehr.mpi.bench.BenchDatabase;
import kz.ehr.mpi.matching.Demographics;

/**
 * A write that fails behind the writer fails the batch: the error reaches the caller, nothing of the batch is
 * committed, and the connection is the caller's again (the same batch goes through once the cause is gone).
 */
class WriteBehindTests {

    @Test
    void aFailedWriteBehindTheWriterFailsTheWholeBatchAndLeavesTheConnectionUsable() throws SQLException {
        DataSource ds = BenchDatabase.fresh("ehr_mpi_write_behind", true);
        List<LinkingEngine.Incoming> batch = new ArrayList<>();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 30; i++) {
            TestPeople.Person p = TestPeople.random(i % 2 == 0 ? "F" : "M");
            batch.add(new LinkingEngine.Incoming("e-" + i, "damumed", "D-" + i, "VALID", new Demographics(p.iin(), p.lastName(),
                    p.firstName(), p.middleName(), p.birthDate(), p.sex(), null, null), at));
        }
        LinkingEngine engine = new LinkingEngine(ReplayDeterminismTests.MATCHER, 5);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // the fifth step's source records cannot be written
                st.execute("""
                        CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN IF NEW.local_id = 'D-22' THEN RAISE EXCEPTION 'refused %', NEW.local_id; END IF; RETURN NEW; END $$;
                        CREATE TRIGGER refuse BEFORE INSERT ON source_record FOR EACH ROW EXECUTE FUNCTION refuse();""");
            }
            c.commit();

            assertThatThrownBy(() -> engine.link(c, batch, ds::getConnection)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("refused D-22");
            c.rollback();
            assertThat(count(c, "source_record")).isZero();
            assertThat(count(c, "processed_event")).isZero();
            assertThat(count(c, "outbox")).isZero();

            try (Statement st = c.createStatement()) {
                st.execute("DROP TRIGGER refuse ON source_record");
            }
            c.commit();
            LinkingEngine.Result result = engine.link(c, batch, ds::getConnection);
            c.commit();
            assertThat(result.applied()).isEqualTo(30);
            assertThat(count(c, "source_record")).isEqualTo(30);
            assertThat(count(c, "processed_event")).isEqualTo(30);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            long n = rs.getLong(1);
            c.commit();
            return n;
        }
    }
}
