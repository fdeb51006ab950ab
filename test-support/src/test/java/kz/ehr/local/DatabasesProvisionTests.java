package kz.ehr.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import kz.ehr.testsupport.TestPlatform;

/** {@link Databases#provision} on the real server: roles, privileges, and a database made before roles existed. */
class DatabasesProvisionTests {

    @Test
    void aDatabaseMadeByTheAdministratorIsHandedToItsOwnerAndClosedToEveryoneElse(@TempDir Path dir) throws SQLException, java.io.IOException {
        String admin = TestPlatform.pgUser();
        String url = TestPlatform.freshDatabase("ehr_provision_test"); // provisioned once, as for a service
        String host = url.replaceAll("jdbc:postgresql://([^:/]+):.*", "$1");
        int port = Integer.parseInt(url.replaceAll("jdbc:postgresql://[^:/]+:(\\d+)/.*", "$1"));
        String name = url.substring(url.lastIndexOf('/') + 1);
        // as an earlier single-account layout left it: objects of the administrator
        try (Connection c = DriverManager.getConnection(url, admin, TestPlatform.pgPassword()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE legacy (id bigserial PRIMARY KEY, v text)");
            st.execute("CREATE TABLE parted (m text, v int) PARTITION BY LIST (m)");
            st.execute("CREATE TABLE parted_a PARTITION OF parted FOR VALUES IN ('a')");
            st.execute("CREATE FUNCTION legacy_one() RETURNS int LANGUAGE sql AS 'SELECT 1'");
        }
        Databases.ServiceRoles roles = Databases.rolesFile(dir.resolve("pg-roles"), name);
        assertThat(PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(dir.resolve("pg-roles").resolve(name + ".env"))))
                .isEqualTo("rw-------");
        assertThat(Databases.rolesFile(dir.resolve("pg-roles"), name)).isEqualTo(roles); // read back, not made anew

        Databases.provision(host, port, admin, TestPlatform.pgPassword(), name, roles, false);

        try (Connection c = DriverManager.getConnection(url, admin, TestPlatform.pgPassword()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relowner <> '%s'::regrole
                     UNION ALL SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proowner <> '%s'::regrole"""
                     .formatted(roles.owner(), roles.owner()))) {
            List<String> notAdopted = new ArrayList<>();
            while (rs.next()) {
                notAdopted.add(rs.getString(1));
            }
            assertThat(notAdopted).as("objects not owned by " + roles.owner()).isEmpty();
        }
        try (Connection c = DriverManager.getConnection(url, roles.login(), roles.loginPassword()); Statement st = c.createStatement()) {
            st.executeQuery("SELECT 1").close();
            assertThatThrownBy(() -> st.execute("CREATE TABLE mine (id int)")).hasMessageContaining("permission denied for schema");
            assertThatThrownBy(() -> st.execute("DROP TABLE legacy")).hasMessageContaining("must be owner");
        }
        String other = TestPlatform.freshDatabase("ehr_neighbour_test");
        assertThatThrownBy(() -> DriverManager.getConnection(other, roles.login(), roles.loginPassword()).close())
                .hasMessageContaining("permission denied for database");
        assertThat(roles.toString()).doesNotContain(roles.loginPassword()).doesNotContain(roles.ownerPassword());
        assertThat(Files.readString(dir.resolve("pg-roles").resolve(name + ".env"))).contains("EHR_PG_USER=" + roles.login());
    }
}
