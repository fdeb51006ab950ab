package kz.ehr.mpi.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


class ComparatorsTests {

    @ParameterizedTest(name = "{0} vs {1} → {2}")
    @CsvSource(value = {
            "850315300019, 850315300019, 0",
            "850315300019, 850315300018, 1",
            "850315300019, 850315300091, 2",
            "850315300019, 853015300019, 2",
            "850315300019, 900101400013, 3",
            "850315300019, null, -1",
    }, nullValues = "null")
    void iinLevels(String a, String b, int level) {
        assertThat(Comparators.iin(a, b)).isEqualTo(level);
    }

    @ParameterizedTest(name = "{0} vs {1} → {2}")
    @CsvSource(value = {
            "19850315, 19850315, 0",
            "19850312, 19851203, 1",
            "19850315, 19850316, 2",
            "19850315, 19950315, 2",
            "19850315, 19860416, 3",
            "19850315, null, -1",
    }, nullValues = "null")
    void birthDateLevels(String a, String b, int level) {
        assertThat(Comparators.birthDate(a, b)).isEqualTo(level);
    }

    @ParameterizedTest(name = "{0} vs {1} → {2}")
    @CsvSource(value = {
            "ahmetov, ahmetov, 0",
            "ahmetov, ahmetof, 1",
            "ahmetov, ahmedov, 1",
            "nursultan, nursulatn, 1",
            "ahmetov, petrov, 3",
            "erlan, erjan, 2",
            "ahmetov, null, -1",
    }, nullValues = "null")
    void nameLevels(String a, String b, int level) {
        assertThat(Comparators.name(a, b)).isEqualTo(level);
    }

    @ParameterizedTest(name = "{0} / {1} → {2}")
    @CsvSource(value = {
            "'г. Алматы, ул. Абая 10, кв. 5', 'Алматы, Абая, 10, 5, г, ул, кв', 0",
            "'г. Алматы, ул. Абая 10, кв. 5', 'g. Almaty, ul. Abaia 10, kv. 5', 0",
            "'г. Алматы, ул. Абая 10, кв. 5', 'г. Алматы, ул. Абая 10, кв. 7', 1",
            "'г. Алматы, ул. Абая 10, кв. 5', 'г. Астана, пр. Республики 3', 2",
    })
    void addressLevels(String a, String b, int level) {
        MatchProfile pa = MatchProfile.of(new Demographics(null, null, null, null, null, null, null, a), LocalDate.of(2026, 1, 1));
        MatchProfile pb = MatchProfile.of(new Demographics(null, null, null, null, null, null, null, b), LocalDate.of(2026, 1, 1));
        assertThat(Comparators.address(pa.addressTokens(), pb.addressTokens())).isEqualTo(level);
    }
}
