package kz.ehr.mpi.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import kz.ehr.mpi.matching.Demographics;

class SurvivorshipTests {
    static Survivorship.Source src(String local, String iin, String last, String first, LocalDate birth, String phone, long at) {
        return new Survivorship.Source("p", local, new Demographics(iin, last, first, null, birth, "M", phone, null),
                Instant.ofEpochSecond(at));
    }

    @Test
    void spellingsOfOneNameVoteTogetherAndTheCyrillicOneIsShown() {
        Demographics g = Survivorship.golden(List.of(
                src("1", "850315300019", "Ахметов", "Ерлан", LocalDate.of(1985, 3, 15), null, 1),
                src("2", null, "Akhmetov", "Yerlan", LocalDate.of(1985, 3, 15), null, 2),
                src("3", null, "Ерлан", "Ахметов", LocalDate.of(1985, 3, 15), null, 3)), Map.of());
        assertThat(g.lastName()).isEqualTo("Ахметов");
        assertThat(g.firstName()).isEqualTo("Ерлан");
    }

    @Test
    void onlyAValidIinSurvivesAndItsBirthDateWinsWhenASourceAgrees() {
        Demographics g = Survivorship.golden(List.of(
                src("1", "850315300018", "Ахметов", "Ерлан", LocalDate.of(1985, 3, 12), null, 5),
                src("2", "850315300019", "Ахметов", "Ерлан", LocalDate.of(1985, 3, 15), null, 1),
                src("3", null, "Ахметов", "Ерлан", LocalDate.of(1985, 3, 12), null, 4)), Map.of());
        assertThat(g.iin()).isEqualTo("850315300019");
        assertThat(g.birthDate()).isEqualTo(LocalDate.of(1985, 3, 15));
    }

    @Test
    void thePhoneIsTheMostRecentOneAndManualOverridesWin() {
        List<Survivorship.Source> sources = List.of(
                src("1", null, "Ахметов", "Ерлан", null, "+77010000001", 1),
                src("2", null, "Ахметов", "Ерлан", null, "+77010000002", 9));
        assertThat(Survivorship.golden(sources, Map.of()).phone()).isEqualTo("+77010000002");
        Demographics overridden = Survivorship.golden(sources, Map.of("phone", "+77019999999", "lastName", "Ахмет"));
        assertThat(overridden.phone()).isEqualTo("+77019999999");
        assertThat(overridden.lastName()).isEqualTo("Ахмет");
    }

    @Test
    void noSourcesGiveAnEmptyGoldenRecord() {
        assertThat(Survivorship.golden(List.of(), Map.of())).isEqualTo(new Demographics(null, null, null, null, null, null, null, null));
    }
}
