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
import java.util.TreeMap;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import kz.ehr.mpi.TestPeople;
import kz.ehr.mpi.TestPeople.Person;
import kz.ehr.mpi.bench.BenchDatabase;
import kz.ehr.mpi.matching.Demographics;
import kz.ehr.mpi.matching.FellegiSunterScorer;
import kz.ehr.mpi.matching.MatchWeights;
import kz.ehr.mpi.matching.Matcher;

/**
 * Rebuilding the index from the topic must give the same links: the same records replayed in the same order into a
 * fresh database give the same enterprise ids for every source record, whatever the batch boundaries.
 */
class ReplayDeterminismTests {
    static final Matcher MATCHER = new Matcher(new FellegiSunterScorer(MatchWeights.defaults()), 29, 12);

    /** Each person at three providers, with the errors the matcher must absorb, plus relatives and strangers. */
    static List<LinkingEngine.Incoming> records() {
        List<LinkingEngine.Incoming> out = new ArrayList<>();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 60; i++) {
            Person p = TestPeople.random(i % 2 == 0 ? "F" : "M");
            String n = String.valueOf(i);
            out.add(in("damumed", "D-" + n, new Demographics(p.iin(), p.lastName(), p.firstName(), p.middleName(), p.birthDate(),
                    p.sex(), null, null), at.plusSeconds(i)));
            out.add(in("kmis", "K-" + n, new Demographics(null, p.lastName(), p.firstName(), null, p.birthDate(), p.sex(), null, null),
                    at.plusSeconds(100 + i)));
            LocalDate swapped = p.birthDate().getDayOfMonth() <= 12
                    ? LocalDate.of(p.birthDate().getYear(), p.birthDate().getDayOfMonth(), p.birthDate().getMonthValue()) : p.birthDate();
            out.add(in("medelement", "M-" + n, new Demographics(null, p.firstName(), p.lastName(), p.middleName(), swapped, p.sex(),
                    null, null), at.plusSeconds(200 + i)));
            if (i % 10 == 0) {
                // a sibling: same surname, patronymic and birth date, another first name (a review, not a link)
                out.add(in("kmis", "S-" + n, new Demographics(null, p.lastName(), "Айдана", p.middleName(), p.birthDate(), p.sex(),
                        null, null), at.plusSeconds(300 + i)));
            }
        }
        return out;
    }

    static LinkingEngine.Incoming in(String provider, String local, Demographics d, Instant at) {
        return new LinkingEngine.Incoming(provider + ":" + local + ":1", provider, local, d.iin() == null ? "MISSING" : "VALID", d, at);
    }

    static Map<String, String> replay(String database, List<LinkingEngine.Incoming> records, int batchSize) throws SQLException {
        return replay(database, records, batchSize, batchSize, LinkingEngine.STEP, false);
    }

    /**
     * Links the records in batches ({@code firstBatch} records, then {@code batchSize} each) and returns every source
     * record's enterprise id and link kind, and every enterprise patient's golden record and copy of its sources.
     */
    static Map<String, String> replay(String database, List<LinkingEngine.Incoming> records, int firstBatch, int batchSize,
                                      int step, boolean readAhead) throws SQLException {
        DataSource ds = BenchDatabase.fresh(database, true);
        LinkingEngine engine = new LinkingEngine(MATCHER, step);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < records.size(); i += i == 0 ? firstBatch : batchSize) {
                int end = Math.min(records.size(), i + (i == 0 ? firstBatch : batchSize));
                engine.link(c, records.subList(i, end), readAhead ? ds::getConnection : null);
                c.commit();
            }
            Map<String, String> links = new TreeMap<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT provider_id || '/' || local_id, enterprise_id::text || ' ' || link_kind FROM source_record")) {
                while (rs.next()) {
                    links.put(rs.getString(1), rs.getString(2));
                }
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                    SELECT enterprise_id, concat_ws(' ', status, iin, last_name, first_name, middle_name, birth_date, sex),
                           sources_compact FROM enterprise_patient""")) {
                while (rs.next()) {
                    links.put("enterprise/" + rs.getString(1), rs.getString(2) + " " + rs.getString(3));
                }
            }
            c.commit();
            return links;
        }
    }

    @Test
    void replayingTheSameRecordsIntoAFreshDatabaseGivesTheSameEnterpriseIds() throws SQLException {
        List<LinkingEngine.Incoming> records = records();
        Map<String, String> first = replay("ehr_mpi_replay_a", records, 1000);
        Map<String, String> again = replay("ehr_mpi_replay_b", records, 1000);
        Map<String, String> smallBatches = replay("ehr_mpi_replay_c", records, 7);

        assertThat(first.keySet().stream().filter(k -> !k.startsWith("enterprise/"))).hasSize(records.size());
        assertThat(again).isEqualTo(first);
        assertThat(smallBatches).isEqualTo(first);
        // and the linker did link: three providers' records of one person share one id
        assertThat(first.get("kmis/K-1").split(" ")[0]).isEqualTo(first.get("damumed/D-1").split(" ")[0]);
    }

    @Test
    void readingTheNextStepsAheadOnASecondConnectionGivesTheSameLinksAsReadingInLine() throws SQLException {
        // every person's first record in a batch of its own; then the second records of all, then the third ones: in
        // steps of 5 a patient that existed before the batch is changed in one step and read again for a later one
        List<LinkingEngine.Incoming> all = records();
        List<LinkingEngine.Incoming> records = new ArrayList<>();
        for (String provider : List.of("damumed", "kmis", "medelement")) {
            all.stream().filter(r -> r.providerId().equals(provider)).forEach(records::add);
        }
        int first = (int) all.stream().filter(r -> r.providerId().equals("damumed")).count();
        Map<String, String> inLine = replay("ehr_mpi_replay_a", records, first, 1000, LinkingEngine.STEP, false);
        // the second connection cannot see this transaction's writes: later steps must use what earlier ones changed
        Map<String, String> ahead = replay("ehr_mpi_replay_b", records, first, 1000, 5, true);
        Map<String, String> aheadSmallBatches = replay("ehr_mpi_replay_c", records, first, 37, 5, true);
        Map<String, String> smallStepsInLine = replay("ehr_mpi_replay_d", records, first, 1000, 5, false);

        assertThat(ahead).isEqualTo(inLine);
        assertThat(aheadSmallBatches).isEqualTo(inLine);
        assertThat(smallStepsInLine).isEqualTo(inLine);
        assertThat(inLine.get("kmis/K-1").split(" ")[0]).isEqualTo(inLine.get("damumed/D-1").split(" ")[0]);
        assertThat(inLine.get("medelement/M-1").split(" ")[0]).isEqualTo(inLine.get("damumed/D-1").split(" ")[0]);
    }
}
