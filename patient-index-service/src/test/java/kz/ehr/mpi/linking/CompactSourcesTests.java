package kz.ehr.mpi.linking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import kz.ehr.mpi.matching.Demographics;

class CompactSourcesTests {
    static final UUID ID = UUID.fromString("6b0d6a4e-4c8a-4a36-9a43-4f0b9c1c2d3e");

    @Test
    void whatJavaWritesReadsBackAsTheSameSourcesInKeyOrder() {
        SourceState b = source("kmis", "K-2", new Demographics(null, "Akhmetova", "Aigul", null, null, "F", "+7 701 123 45 67", "Abai 1"),
                "PROBABILISTIC", 31.25, Instant.parse("2025-03-01T05:15:00Z"));
        SourceState a = source("damumed", "D-1", new Demographics("870602400013", "Ахметова", "Айгүл", "Серікқызы",
                LocalDate.of(1987, 6, 2), "F", null, null), "DETERMINISTIC", null, null);

        List<SourceState> back = CompactSources.decode(CompactSources.encode(List.of(b, a)), ID);

        assertThat(back).extracting(SourceState::key).containsExactly(a.key(), b.key());
        assertThat(back.get(0).demographics).isEqualTo(a.demographics);
        assertThat(back.get(0).linkScore).isNull();
        assertThat(back.get(0).occurredAt).isNull();
        // the phone is kept as source_record keeps it, its last ten digits
        assertThat(back.get(1).demographics.phone()).isEqualTo("7011234567");
        assertThat(back.get(1).linkScore).isEqualTo(31.25);
        assertThat(back.get(1).occurredAt).isEqualTo(b.occurredAt);
        assertThat(back).allSatisfy(s -> assertThat(s.enterpriseId).isEqualTo(ID));
    }

    @Test
    void whatPostgresqlBuildsInTheMigrationReadsToo() {
        // json_build_array: numbers unquoted, a timestamptz in the session's offset
        String fromSql = "[[\"damumed\", \"D-1\", null, \"MISSING\", \"Ахметов\", null, null, \"1987-06-02\", \"M\", \"7011234567\","
                + " null, \"NEW\", 12.5, \"2025-03-01T11:15:00+06:00\", \"e-1\"]]";
        SourceState s = CompactSources.decode(fromSql, ID).get(0);
        assertThat(s.demographics.birthDate()).isEqualTo(LocalDate.of(1987, 6, 2));
        assertThat(s.linkScore).isEqualTo(12.5);
        assertThat(s.occurredAt).isEqualTo(Instant.parse("2025-03-01T05:15:00Z"));
        assertThat(s.lastEventId).isEqualTo("e-1");
        assertThat(s.profile.last).isEqualTo("ahmetov");
    }

    static SourceState source(String provider, String local, Demographics d, String kind, Double score, Instant at) {
        SourceState s = new SourceState(provider, local);
        s.setDemographics(d, at);
        s.iinStatus = d.iin() == null ? "MISSING" : "VALID";
        s.linkKind = kind;
        s.linkScore = score;
        s.lastEventId = "e-" + local;
        return s;
    }
}
