package kz.ehr.events.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import kz.ehr.testsupport.TestPlatform;

/** {@link PgArrays#of}: a column bound as a typed array reads back from the real PostgreSQL as it was given. */
class PgArraysDatabaseTests {
    @Test
    void aColumnOfObjectsReadsBackAsGivenForEveryTypeTheBatchStatementsBind() throws SQLException {
        String url = TestPlatform.freshDatabase("ehr_pgarrays_test");
        Object[] text = {"J06.9", "a \"b\", {c}", "x\\y", "", null, "Ахметов", LocalDate.of(2026, 12, 5)};
        Object[] ints = {1, null, -7, Integer.MAX_VALUE, 0, 3, 2};
        Object[] bools = {true, false, null, true, true, false, true};
        try (Connection c = DriverManager.getConnection(url, TestPlatform.pgUser(), TestPlatform.pgPassword());
             PreparedStatement ps = c.prepareStatement(
                     "SELECT t, i, b FROM unnest(?::text[], ?::int4[], ?::bool[]) WITH ORDINALITY u(t, i, b, n) ORDER BY n")) {
            ps.setArray(1, PgArrays.of(c, "text", text));
            ps.setArray(2, PgArrays.of(c, "int4", ints));
            ps.setArray(3, PgArrays.of(c, "bool", bools));
            List<String> texts = new ArrayList<>();
            List<Integer> intsRead = new ArrayList<>();
            List<Boolean> boolsRead = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    texts.add(rs.getString(1));
                    intsRead.add((Integer) rs.getObject(2));
                    boolsRead.add((Boolean) rs.getObject(3));
                }
            }
            assertThat(texts).containsExactly("J06.9", "a \"b\", {c}", "x\\y", "", null, "Ахметов", "2026-12-05");
            assertThat(intsRead).isEqualTo(Arrays.asList(ints));
            assertThat(boolsRead).isEqualTo(Arrays.asList(bools));
        }
    }
}
