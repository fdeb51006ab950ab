package kz.ehr.mpi.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The matcher skips pairs by {@link FellegiSunterScorer#upperBound}: the bound must never be below the real score. */
class ScoreBoundTests {
    static final LocalDate TODAY = LocalDate.of(2026, 1, 1);
    static final FellegiSunterScorer SCORER = new FellegiSunterScorer(MatchWeights.defaults());

    /** Variants of two people with every kind of error the matcher handles, and missing fields. */
    static List<MatchProfile> variants() {
        List<Demographics> people = new ArrayList<>();
        for (Demographics d : List.of(
                new Demographics("850315300019", "Ахметов", "Ерлан", "Серикович", LocalDate.of(1985, 3, 15), "M", "+77011234567",
                        "г. Алматы, ул. Абая 10, кв. 5"),
                new Demographics("870602400013", "Ахметова", "Айгүл", "Серікқызы", LocalDate.of(1987, 6, 2), "F", "87011234567", null))) {
            people.add(d);
            people.add(new Demographics(null, d.lastName(), d.firstName(), null, d.birthDate(), d.sex(), null, d.address()));
            people.add(new Demographics(d.iin().substring(0, 11) + "7", "Akhmetova", d.firstName(), d.middleName(),
                    d.birthDate().withDayOfMonth(3), d.sex(), d.phone(), null));
            people.add(new Demographics(d.iin(), d.firstName(), d.lastName(), d.middleName(), d.birthDate(), null, null,
                    "Алматы Абая 10"));
            people.add(new Demographics(null, d.lastName(), null, null, d.birthDate().plusYears(1), "M", d.phone(), null));
            people.add(new Demographics(null, null, "Erlan", "Serikovich", null, null, null, null));
        }
        return people.stream().map(d -> MatchProfile.of(d, TODAY)).toList();
    }

    @Test
    void theBoundIsNeverBelowTheScoreOfAnyPair() {
        List<MatchProfile> all = variants();
        int pairs = 0;
        for (MatchProfile a : all) {
            for (MatchProfile b : all) {
                assertThat(SCORER.upperBound(a, b)).as("%s vs %s", a.raw, b.raw).isGreaterThanOrEqualTo(SCORER.score(a, b) - 1e-9);
                pairs++;
            }
        }
        assertThat(pairs).isEqualTo(144);
    }

    @Test
    void aStrangerSharingOnlyTheSurnameBlockIsDismissedWithoutComparingNames() {
        MatchProfile a = MatchProfile.of(new Demographics("850315300019", "Ахметов", "Ерлан", "Серикович", LocalDate.of(1985, 3, 15),
                "M", "+77011234567", null), TODAY);
        MatchProfile b = MatchProfile.of(new Demographics("850921300011", "Ахметов", "Ербол", "Маратович", LocalDate.of(1985, 9, 21),
                "M", "+77017654321", null), TODAY);
        assertThat(SCORER.upperBound(a, b)).isLessThan(12);
    }
}
