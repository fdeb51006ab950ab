package kz.ehr.mpi.linking;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import kz.ehr.mpi.bench.BenchDatabase;
import kz.ehr.mpi.matching.Demographics;

/**
 * The column-array upserts store every field as given, nulls included, insert and update alike, and whatever the
 * JVM's time zone: instants and dates travel as ISO text.
 */
class IndexStoreWritesTests {

    @Test
    void sourcesAndPatientsAreStoredFieldForFieldOnInsertAndOnUpdate() throws SQLException {
        DataSource ds = BenchDatabase.fresh("ehr_mpi_store_writes", true);
        TimeZone zone = TimeZone.getDefault();
        // a JVM far from UTC: a timestamp bound without its offset would shift by five hours
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Almaty"));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            EnterpriseState patient = new EnterpriseState(UUID.fromString("00000000-0000-0000-0000-0000000000a1"));
            SourceState full = source("damumed", "D-1", patient.id, new Demographics("900101300017", "Ахметов", "Ерлан",
                    "Серикович", LocalDate.of(1990, 1, 1), "M", "+7 (701) 123-45-67", "Алматы, Абая 1"),
                    Instant.parse("2026-03-04T05:06:07.123456Z"), "DETERMINISTIC", 31.25);
            // the word NULL as a value stays a value (array elements are quoted), a missing one is NULL
            SourceState bare = source("kmis", "K-\"1,{}", patient.id, new Demographics(null, null, null, "NULL", null, null, null, null),
                    null, "NEW", null);
            patient.sources.addAll(List.of(full, bare));
            patient.overrides = Map.of("phone", "+77010000000");
            patient.recomputeGolden();
            IndexStore.upsertEnterprises(c, List.of(patient));
            IndexStore.upsertSources(c, List.of(full, bare));
            c.commit();

            assertThat(row(c, "damumed", "D-1")).isEqualTo(List.of("damumed", "D-1", patient.id.toString(), "900101300017", "VALID",
                    "Ахметов", "Ерлан", "Серикович", "1990-01-01", "M", "7011234567", "Алматы, Абая 1", "e-D-1",
                    "DETERMINISTIC", "31.25", "2026-03-04T05:06:07.123456Z", keys(full)));
            assertThat(row(c, "kmis", "K-\"1,{}")).isEqualTo(List.of("kmis", "K-\"1,{}", patient.id.toString(), "null", "MISSING",
                    "null", "null", "NULL", "null", "null", "null", "null", "e-K-\"1,{}", "NEW", "null", "null", ""));
            assertThat(patient(c, patient.id)).isEqualTo(List.of("ACTIVE", "null", "900101300017", "Ахметов", "1990-01-01",
                    "+77010000000", "{\"phone\": \"+77010000000\"}", "1"));

            // an update of both: the record moves to a merged-away patient's survivor, its fields change
            EnterpriseState survivor = new EnterpriseState(UUID.fromString("00000000-0000-0000-0000-0000000000b2"));
            full.setDemographics(new Demographics("900101300017", "Ахметов", "Ерлан", null, LocalDate.of(1990, 1, 1), "M", null,
                    null), Instant.parse("2026-05-01T00:00:00Z"));
            full.enterpriseId = survivor.id;
            full.linkKind = "MANUAL";
            full.linkScore = null;
            patient.sources.remove(full);
            survivor.sources.add(full);
            survivor.recomputeGolden();
            patient.status = "MERGED";
            patient.mergedInto = survivor.id;
            patient.recomputeGolden();
            IndexStore.upsertEnterprises(c, new ArrayList<>(List.of(survivor, patient)));
            IndexStore.upsertSources(c, List.of(full));
            c.commit();

            assertThat(row(c, "damumed", "D-1")).isEqualTo(List.of("damumed", "D-1", survivor.id.toString(), "900101300017", "VALID",
                    "Ахметов", "Ерлан", "null", "1990-01-01", "M", "null", "null", "e-D-1", "MANUAL", "null",
                    "2026-05-01T00:00:00Z", keys(full)));
            assertThat(patient(c, patient.id).subList(0, 2)).isEqualTo(List.of("MERGED", survivor.id.toString()));
            assertThat(patient(c, patient.id).get(7)).isEqualTo("2");
        } finally {
            TimeZone.setDefault(zone);
        }
    }

    @Test
    void aRecordWithoutAFirstNameFindsEveryIndexedRecordOfItsBirthDateAndNoOther() throws SQLException {
        DataSource ds = BenchDatabase.fresh("ehr_mpi_store_writes", true);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            List<EnterpriseState> patients = new ArrayList<>();
            String[][] indexed = {{"Ахметова", "Айгуль", "1987-06-02"}, {"Сейткали", "Дана", "1987-06-02"},
                    {"Ахметова", null, "1987-06-02"}, {"Ахметова", "Айгуль", "1987-06-03"}, {"Ахметова", "Айгуль", "1987-06-01"}};
            for (int i = 0; i < indexed.length; i++) {
                EnterpriseState e = new EnterpriseState(UUID.nameUUIDFromBytes(("p" + i).getBytes()));
                e.sources.add(source("damumed", "D-" + i, e.id, new Demographics(null, indexed[i][0], indexed[i][1], null,
                        LocalDate.parse(indexed[i][2]), "F", null, null), null, "NEW", null));
                e.recomputeGolden();
                patients.add(e);
            }
            IndexStore.upsertEnterprises(c, patients);
            IndexStore.upsertSources(c, patients.stream().flatMap(e -> e.sources.stream()).toList());
            c.commit();

            SourceState incoming = source("kmis", "K-1", null, new Demographics(null, "Жумабекова", null, null,
                    LocalDate.parse("1987-06-02"), "F", null, null), null, null, null);
            assertThat(LinkingEngine.block(c, List.of(incoming)).enterprises().keySet())
                    .containsExactlyInAnyOrder(patients.get(0).id, patients.get(1).id, patients.get(2).id);
        }
    }

    /** The comparison forms and blocking keys the matching core computed, as the row must hold them. */
    private static String keys(SourceState s) {
        assertThat(s.profile.nameKey()).isNotNull();
        return String.join(" ", s.profile.last, s.profile.first, s.profile.nameKey(), s.profile.birthKey());
    }

    private static SourceState source(String provider, String local, UUID enterprise, Demographics d, Instant at, String kind,
                                      Double score) {
        SourceState s = new SourceState(provider, local);
        s.setDemographics(d, at);
        s.enterpriseId = enterprise;
        s.iinStatus = d.iin() == null ? "MISSING" : "VALID";
        s.lastEventId = "e-" + local;
        s.linkKind = kind;
        s.linkScore = score;
        return s;
    }

    private static List<String> row(Connection c, String provider, String local) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT provider_id, local_id, enterprise_id, iin, iin_status, last_name, first_name, middle_name, birth_date,
                       sex, phone, address, last_event_id, link_kind, link_score,
                       to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                       concat_ws(' ', last_norm, first_norm, name_key, birth_key)
                FROM source_record WHERE provider_id = '%s' AND local_id = '%s'""".formatted(provider, local.replace("'", "''")))) {
            assertThat(rs.next()).isTrue();
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= 17; i++) {
                out.add(String.valueOf(rs.getString(i)).replace(".000000Z", "Z"));
            }
            return out;
        }
    }

    private static List<String> patient(Connection c, UUID id) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT status, merged_into, iin, last_name, birth_date, phone, overrides::text, version FROM enterprise_patient"
                        + " WHERE enterprise_id = '" + id + "'")) {
            assertThat(rs.next()).isTrue();
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                out.add(String.valueOf(rs.getString(i)));
            }
            return out;
        }
    }
}
