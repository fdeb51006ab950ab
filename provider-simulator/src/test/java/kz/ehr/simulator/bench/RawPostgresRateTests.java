package kz.ehr.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import kz.ehr.testsupport.TestPlatform;

/** The PostgreSQL reference writes into its own scratch database on the real server and leaves nothing behind. */
class RawPostgresRateTests {
    @Test
    void inserts_every_row_in_batches_and_drops_the_scratch_database() throws Exception {
        String url = TestPlatform.freshDatabase("ehr_simulator_test");
        String hostPort = url.substring("jdbc:postgresql://".length(), url.lastIndexOf('/'));
        String host = hostPort.substring(0, hostPort.indexOf(':'));
        int port = Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));

        RawPostgresRate.Result r = RawPostgresRate.measure(host, port, TestPlatform.pgUser(), TestPlatform.pgPassword(),
                List.of("{\"recordId\":\"a\"}", "{\"recordId\":\"b\"}"), 2_500, 1000);

        assertThat(r.rows()).isEqualTo(2_500);
        assertThat(r.rowsPerSecond()).isPositive();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + hostPort + "/postgres", TestPlatform.pgUser(),
                TestPlatform.pgPassword());
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT count(*) FROM pg_database WHERE datname = '" + RawPostgresRate.DATABASE + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }
}
