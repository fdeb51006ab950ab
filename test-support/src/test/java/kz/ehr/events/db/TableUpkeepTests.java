package kz.ehr.events.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import kz.ehr.testsupport.TestPlatform;

/** {@link TableUpkeep} against the machine's real PostgreSQL, whichever way its autovacuum is set. */
class TableUpkeepTests {
    private String url;

    @BeforeEach
    void freshTable() throws SQLException {
        url = TestPlatform.freshDatabase("ehr_upkeep_test");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS visit");
            s.execute("CREATE TABLE visit (id bigint PRIMARY KEY, doctor text)");
            s.execute("INSERT INTO visit SELECT g, 'd' || (g % 10) FROM generate_series(1, 5000) g");
        }
    }

    @Test
    void analyses_a_changed_table_and_vacuums_a_bloated_one_only_when_autovacuum_is_off() throws SQLException {
        TableUpkeep upkeep = new TableUpkeep(this::connect);
        boolean autovacuumOn;
        try (Connection c = connect()) {
            autovacuumOn = TableUpkeep.autovacuumOn(c);
        }
        awaitCounted("visit", "n_mod_since_analyze", 5000);
        List<String> first = upkeep.runOnce();
        if (autovacuumOn) {
            assertThat(first).as("the server's autovacuum does this work").isEmpty();
            return;
        }
        assertThat(first).contains("ANALYZE \"public\".\"visit\"");
        assertThat(lastAnalyzed()).isTrue();
        assertThat(upkeep.runOnce()).as("nothing changed since").doesNotContain("ANALYZE \"public\".\"visit\"");

        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("UPDATE visit SET doctor = doctor || 'x'"); // every row leaves a dead version
        }
        awaitCounted("visit", "n_dead_tup", 5000);
        assertThat(upkeep.runOnce()).contains("VACUUM (ANALYZE) \"public\".\"visit\"");
    }

    @Test
    void a_large_table_is_analysed_from_a_smaller_sample_and_a_small_one_whole() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            Assumptions.assumeFalse(TableUpkeep.autovacuumOn(c), "the server's autovacuum analyses, with its own target");
            s.execute("DROP TABLE IF EXISTS located");
            s.execute("CREATE TABLE located (id bigint PRIMARY KEY)");
            s.execute("INSERT INTO located SELECT g FROM generate_series(1, 60000) g");
        }
        awaitCounted("visit", "n_mod_since_analyze", 5000);
        awaitCounted("located", "n_mod_since_analyze", 60000);
        // reltuples is what the last ANALYZE saw: the first pass analyses both at the default, the next sees the sizes
        TableUpkeep upkeep = new TableUpkeep(this::connect);
        upkeep.runOnce();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO located SELECT g FROM generate_series(60001, 70000) g");
            s.execute("INSERT INTO visit SELECT g, 'd' FROM generate_series(5001, 6000) g");
        }
        awaitCounted("located", "n_mod_since_analyze", 10000);
        awaitCounted("visit", "n_mod_since_analyze", 1000);
        assertThat(upkeep.runOnce()).contains("ANALYZE \"public\".\"located\"", "ANALYZE \"public\".\"visit\"");
        // distinct ids: the histogram has a bound more than the target's buckets
        assertThat(histogramBounds("located")).as("a sample of 300 × %d rows", TableUpkeep.LARGE_TABLE_TARGET)
                .isEqualTo(TableUpkeep.LARGE_TABLE_TARGET + 1);
        assertThat(histogramBounds("visit")).as("the server's default target, 100: the whole table").isEqualTo(101);
    }

    @Test
    void a_table_analysed_lately_waits_for_the_interval_unless_it_more_than_doubled() throws SQLException {
        try (Connection c = connect()) {
            Assumptions.assumeFalse(TableUpkeep.autovacuumOn(c), "the server's autovacuum decides when to analyse");
        }
        Duration hour = Duration.ofHours(1);
        TableUpkeep upkeep = new TableUpkeep(this::connect);
        awaitCounted("visit", "n_mod_since_analyze", 5000);
        assertThat(upkeep.runOnce(hour)).as("never analysed").contains("ANALYZE \"public\".\"visit\"");

        insertVisits(5001, 6000); // a fifth more: due by autovacuum's rule, but analysed a moment ago
        awaitCounted("visit", "n_mod_since_analyze", 1000);
        assertThat(upkeep.runOnce(hour)).doesNotContain("ANALYZE \"public\".\"visit\"");

        insertVisits(6001, 13000); // 8,000 changes on statistics of 5,000 rows
        awaitCounted("visit", "n_mod_since_analyze", 8000);
        assertThat(upkeep.runOnce(hour)).as("more than doubled").contains("ANALYZE \"public\".\"visit\"");
        assertThat(upkeep.runOnce()).as("autovacuum's rule alone: nothing changed since").doesNotContain("ANALYZE \"public\".\"visit\"");
    }

    @Test
    void the_interval_holds_back_autovacuums_rule_but_not_a_doubling() {
        Duration minute = Duration.ofSeconds(60);
        assertThat(new TableUpkeep.TableState("public", "t", 1000, 200, 0, 5.0).due(minute)).isEqualTo(TableUpkeep.Action.NONE);
        assertThat(new TableUpkeep.TableState("public", "t", 1000, 0, 300, 5.0).due(minute)).isEqualTo(TableUpkeep.Action.NONE);
        assertThat(new TableUpkeep.TableState("public", "t", 1000, 200, 0, 61.0).due(minute)).isEqualTo(TableUpkeep.Action.ANALYZE);
        assertThat(new TableUpkeep.TableState("public", "t", 1000, 1050, 0, 5.0).due(minute)).isEqualTo(TableUpkeep.Action.NONE);
        assertThat(new TableUpkeep.TableState("public", "t", 1000, 1051, 0, 5.0).due(minute)).isEqualTo(TableUpkeep.Action.ANALYZE);
        assertThat(new TableUpkeep.TableState("public", "t", -1, 51, 0, null).due(minute))
                .as("never analysed").isEqualTo(TableUpkeep.Action.ANALYZE);
        assertThat(new TableUpkeep.TableState("public", "t", 1000, 200, 0, 5.0).due(Duration.ZERO))
                .isEqualTo(TableUpkeep.Action.ANALYZE);
    }

    @Test
    void thresholds_are_autovacuums() {
        assertThat(new TableUpkeep.TableState("public", "t", 1000, 150, 0).due()).isEqualTo(TableUpkeep.Action.NONE);
        assertThat(new TableUpkeep.TableState("public", "t", 1000, 151, 0).due()).isEqualTo(TableUpkeep.Action.ANALYZE);
        assertThat(new TableUpkeep.TableState("public", "t", 1000, 0, 251).due()).isEqualTo(TableUpkeep.Action.VACUUM_ANALYZE);
        assertThat(new TableUpkeep.TableState("public", "t", -1, 51, 0).due())
                .as("never analysed: reltuples is -1").isEqualTo(TableUpkeep.Action.ANALYZE);
    }

    private void insertVisits(int from, int to) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO visit SELECT g, 'd' FROM generate_series(" + from + ", " + to + ") g");
        }
    }

    /** A backend reports its table counts when it goes idle or exits, a moment after the client has moved on. */
    private void awaitCounted(String table, String column, long atLeast) {
        Awaitility.await(table + "." + column + " reaches " + atLeast).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    try (Connection c = connect(); Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery(
                                 "SELECT " + column + " FROM pg_stat_user_tables WHERE relname = '" + table + "'")) {
                        return rs.next() && rs.getLong(1) >= atLeast;
                    }
                });
    }

    /** How many bounds the histogram of the table's {@code id} has. */
    private int histogramBounds(String table) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT array_length(histogram_bounds::text::text[], 1) FROM pg_stats"
                        + " WHERE tablename = '" + table + "' AND attname = 'id'")) {
            assertThat(rs.next()).as("statistics of %s.id", table).isTrue();
            return rs.getInt(1);
        }
    }

    private boolean lastAnalyzed() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'visit'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private Connection connect() {
        try {
            return DriverManager.getConnection(url, TestPlatform.pgUser(), TestPlatform.pgPassword());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
