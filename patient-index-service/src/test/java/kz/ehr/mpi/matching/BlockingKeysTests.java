package kz.ehr.mpi.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A record and its variant must share at least one blocking key, or they can never be compared. */
class BlockingKeysTests {
    static final LocalDate TODAY = LocalDate.of(2026, 1, 1);

    static MatchProfile p(String last, String first, String birth) {
        return MatchProfile.of(new Demographics(null, last, first, null, birth == null ? null : LocalDate.parse(birth), null, null, null), TODAY);
    }

    static boolean shareAKey(MatchProfile a, MatchProfile b) {
        java.util.Set<String> ka = new java.util.HashSet<>();
        java.util.Collections.addAll(ka, "n" + a.nameKey(), "n" + a.swappedNameKey(), "b" + a.birthKey(), "b" + a.swappedBirthKey());
        if (a.birthDate != null) {
            // the engine also looks up "date|?" (indexed records without a first name), and the bare date when
            // the incoming record has no first name itself
            ka.add("b" + a.birthDate + "|?");
            if (a.first == null && a.birthDate.equals(b.birthDate)) {
                return true;
            }
        }
        return ka.contains("n" + b.nameKey()) || ka.contains("b" + b.birthKey());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "transliterated, Ахметова, Айгуль, 1987-06-02, Akhmetova, Aigul, 1987-06-02",
            "feminine ending, Ахметова, Айгуль, 1987-06-02, Ахметов, Айгуль, 1987-06-02",
            "surname changed at marriage, Ахметова, Айгуль, 1987-06-02, Сейткалиева, Айгуль, 1987-06-02",
            "day-month swap, Ахметова, Айгуль, 1987-06-02, Ахметова, Айгуль, 1987-02-06",
            "one-digit birth typo, Ахметова, Айгуль, 1987-06-02, Ахметова, Айгуль, 1987-06-03",
            "swapped name fields, Ахметова, Айгуль, 1987-06-02, Айгуль, Ахметова, 1987-06-02",
            "swapped and day-month swap, Ахметова, Айгуль, 1987-06-02, Айгуль, Ахметова, 1987-02-06",
            "typo late in the surname, Ахметова, Айгуль, 1987-06-02, Ахметава, Айгуль, 1987-06-02",
            "typo late in the first name and a day-month swap, Ахметова, Айгуль, 1987-06-02, Ахметова, Айгкль, 1987-02-06",
            "Kazakh letters in the first name, Ахметова, Айгүл, 1987-06-02, Akhmetova, Aigul, 1987-06-03",
            "first name missing on the new record, Ахметова, Айгуль, 1987-06-02, Ахметова, , 1987-06-02",
            "first name missing on the indexed record, Ахметова, , 1987-06-02, Ахметова, Айгуль, 1987-06-02",
    })
    void variantsOfOnePersonMeetInABlock(String title, String l1, String f1, String b1, String l2, String f2, String b2) {
        assertThat(shareAKey(p(l2, f2, b2), p(l1, f1, b1))).as(title).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "other surname and year, Ахметова, Айгуль, 1987-06-02, Петрова, Айгуль, 1990-06-02",
            "same surname but other initial and date, Ахметова, Айгуль, 1987-06-02, Ахметова, Динара, 1987-07-02",
            "same surname and year with first names sharing only the initial, Ахметова, Айгуль, 1987-06-02, Ахметова, Асель, 1987-07-02",
    })
    void unrelatedPeopleStayInDifferentBlocks(String title, String l1, String f1, String b1, String l2, String f2, String b2) {
        assertThat(shareAKey(p(l2, f2, b2), p(l1, f1, b1))).as(title).isFalse();
    }
}
