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
        awaitCounted("n_mod_since_analyze", 5000);
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
        awaitCounted("n_dead_tup", 5000);
        assertThat(upkeep.runOnce()).contains("VACUUM (ANALYZE) \"public\".\"visit\"");
    }

    @Test
    void thresholds_are_autovacuums() {
        assertThat(new TableUpkeep.TableState("public", "t", 1000, 150, 0).due()).isEqualTo(TableUpkeep.Action.NONE);
        assertThat(new TableUpkeep.TableState("public", "t", 1000, 151, 0).due()).isEqualTo(TableUpkeep.Action.ANALYZE);
        assertThat(new TableUpkeep.TableState("public", "t", 1000, 0, 251).due()).isEqualTo(TableUpkeep.Action.VACUUM_ANALYZE);
        assertThat(new TableUpkeep.TableState("public", "t", -1, 51, 0).due())
                .as("never analysed: reltuples is -1").isEqualTo(TableUpkeep.Action.ANALYZE);
    }

    /** A backend reports its table counts when it goes idle or exits, a moment after the client has moved on. */
    private void awaitCounted(String column, long atLeast) {
        Awaitility.await(column + " reaches " + atLeast).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    try (Connection c = connect(); Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT " + column + " FROM pg_stat_user_tables WHERE relname = 'visit'")) {
                        return rs.next() && rs.getLong(1) >= atLeast;
                    }
                });
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
