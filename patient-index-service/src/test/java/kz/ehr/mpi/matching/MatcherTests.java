package kz.ehr.mpi.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import kz.ehr.mpi.matching.MatchDecision.Outcome;
import kz.ehr.mpi.matching.MatchDecision.ReviewKind;

class MatcherTests {
    static final LocalDate TODAY = LocalDate.of(2026, 1, 1);
    static final Demographics ERLAN = new Demographics("850315300019", "Ахметов", "Ерлан", "Серикович",
            LocalDate.of(1985, 3, 15), "M", "+77011234567", "г. Алматы, ул. Абая 10, кв. 5");
    static final Matcher MATCHER = new Matcher(new FellegiSunterScorer(MatchWeights.defaults()), 29, 12);

    static Demographics erlanWith(Map<String, Object> changes) {
        Demographics d = ERLAN;
        return new Demographics(
                (String) changes.getOrDefault("iin", d.iin()),
                (String) changes.getOrDefault("last", d.lastName()),
                (String) changes.getOrDefault("first", d.firstName()),
                (String) changes.getOrDefault("middle", d.middleName()),
                changes.containsKey("birth") ? (LocalDate) changes.get("birth") : d.birthDate(),
                (String) changes.getOrDefault("sex", d.sex()),
                (String) changes.getOrDefault("phone", d.phone()),
                (String) changes.getOrDefault("address", d.address()));
    }

    static Map<String, Object> m(Object... kv) {
        java.util.HashMap<String, Object> map = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put((String) kv[i], kv[i + 1]);
        }
        return map;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("same IIN and demographics", m(), Outcome.LINK_DETERMINISTIC, null),
                Arguments.of("Latin transliteration", m("last", "Akhmetov", "first", "Yerlan", "middle", "Serikovich"), Outcome.LINK_DETERMINISTIC, null),
                Arguments.of("missing IIN, Latin names", m("iin", null, "last", "Akhmetov", "first", "Yerlan"), Outcome.LINK_PROBABILISTIC, null),
                Arguments.of("missing IIN and patronymic", m("iin", null, "middle", null), Outcome.LINK_PROBABILISTIC, null),
                Arguments.of("one-digit IIN typo (checksum fails)", m("iin", "850315300018"), Outcome.LINK_PROBABILISTIC, null),
                Arguments.of("transposed IIN digits", m("iin", "850315300091"), Outcome.LINK_PROBABILISTIC, null),
                Arguments.of("swapped first and last name", m("iin", null, "last", "Ерлан", "first", "Ахметов"), Outcome.LINK_PROBABILISTIC, null),
                Arguments.of("typo in surname, no IIN", m("iin", null, "last", "Ахметев"), Outcome.LINK_PROBABILISTIC, null),
                Arguments.of("different person, same birth date", m("iin", null, "last", "Петров", "first", "Иван", "middle", "Ильич", "phone", null, "address", null), Outcome.NEW, null),
                Arguments.of("twin brother with a similar name and his own valid IIN", m("iin", "850315300029", "first", "Ержан", "phone", null), Outcome.REVIEW, ReviewKind.DIFFERENT_IIN),
                Arguments.of("twin brother with his own valid IIN", m("iin", "850315300029", "first", "Дамир", "phone", null), Outcome.NEW, null),
                Arguments.of("twin brother without IIN is reviewed, never linked", m("iin", null, "first", "Дамир", "phone", null), Outcome.REVIEW, ReviewKind.POSSIBLE_MATCH),
                Arguments.of("same demographics, other valid IIN", m("iin", "850315300029"), Outcome.REVIEW, ReviewKind.DIFFERENT_IIN),
                Arguments.of("valid IIN whose century contradicts the birth date is a typo", m("iin", "850315500011"), Outcome.LINK_PROBABILISTIC, null),
                Arguments.of("same IIN, someone else entirely", m("last", "Ким", "first", "Ольга", "middle", "Юрьевна", "birth", LocalDate.of(1962, 7, 1), "sex", "F", "phone", null, "address", null), Outcome.REVIEW, ReviewKind.IIN_CONFLICT),
                Arguments.of("only surname and year-off birth date", m("iin", null, "first", null, "middle", null, "phone", null, "address", null, "birth", LocalDate.of(1986, 3, 15)), Outcome.REVIEW, ReviewKind.POSSIBLE_MATCH),
                Arguments.of("absurd birth date is ignored, rest matches", m("iin", null, "birth", LocalDate.of(1500, 1, 1)), Outcome.LINK_PROBABILISTIC, null),
                Arguments.of("no IIN and no name", m("iin", null, "last", null, "first", null, "middle", null), Outcome.NEW, null));
    }

    @ParameterizedTest(name = "{0} → {2} {3}")
    @MethodSource("cases")
    void decidesEachVariantAgainstTheOriginal(String title, Map<String, Object> changes, Outcome outcome, ReviewKind kind) {
        MatchProfile incoming = MatchProfile.of(erlanWith(changes), TODAY);
        Matcher.Candidate known = new Matcher.Candidate("e-1", ERLAN.iin(), List.of(MatchProfile.of(ERLAN, TODAY)));

        MatchDecision d = MATCHER.decide(incoming, List.of(known));

        assertThat(d.outcome()).as(title + " score " + d.score()).isEqualTo(outcome);
        assertThat(d.reviewKind()).isEqualTo(kind);
        if (outcome != Outcome.NEW) {
            assertThat(d.enterpriseId()).isEqualTo("e-1");
        }
    }

    @Test
    void theBestOfSeveralCandidatesWinsAndTiesGoToTheSmallerId() {
        MatchProfile incoming = MatchProfile.of(erlanWith(m("iin", null)), TODAY);
        Matcher.Candidate weak = new Matcher.Candidate("a", null,
                List.of(MatchProfile.of(erlanWith(m("iin", null, "first", "Ержан", "phone", null, "address", null)), TODAY)));
        Matcher.Candidate strongB = new Matcher.Candidate("c", ERLAN.iin(), List.of(MatchProfile.of(ERLAN, TODAY)));
        Matcher.Candidate strongA = new Matcher.Candidate("b", ERLAN.iin(), List.of(MatchProfile.of(ERLAN, TODAY)));

        assertThat(MATCHER.decide(incoming, List.of(weak, strongB, strongA)).enterpriseId()).isEqualTo("b");
        assertThat(MATCHER.decide(incoming, List.of(strongA, weak, strongB)).enterpriseId()).isEqualTo("b");
    }

    @Test
    void aDayMonthSwapWithoutIinStillLinks() {
        Demographics original = erlanWith(m("iin", null, "birth", LocalDate.of(1985, 3, 12)));
        MatchProfile swapped = MatchProfile.of(erlanWith(m("iin", null, "birth", LocalDate.of(1985, 12, 3))), TODAY);
        Matcher.Candidate known = new Matcher.Candidate("e-1", null, List.of(MatchProfile.of(original, TODAY)));

        MatchDecision d = MATCHER.decide(swapped, List.of(known));

        assertThat(d.outcome()).as("score " + d.score()).isEqualTo(Outcome.LINK_PROBABILISTIC);
    }

    @Test
    void aFemaleRelativeWithTheFeminineSurnameIsNotLinked() {
        MatchProfile wife = MatchProfile.of(new Demographics(null, "Ахметова", "Айгуль", "Болатовна",
                LocalDate.of(1987, 6, 2), "F", "+77011234567", ERLAN.address()), TODAY);
        Matcher.Candidate known = new Matcher.Candidate("e-1", ERLAN.iin(), List.of(MatchProfile.of(ERLAN, TODAY)));

        assertThat(MATCHER.decide(wife, List.of(known)).outcome()).isEqualTo(Outcome.NEW);
    }

    // newborns under the mother's IIN (API.md patient.motherIin)
    static final String MOTHER_IIN = "900101400013";
    static final LocalDate BORN = LocalDate.of(2025, 12, 1);
    static final Demographics MOTHER = new Demographics(MOTHER_IIN, "Ахметова", "Айгуль", "Болатовна", LocalDate.of(1990, 1, 1),
            "F", "+77011234567", ERLAN.address());

    static MatchProfile newborn(String iin, String sex, String first) {
        return MatchProfile.of(new Demographics(iin, "Ахметова", first, null, BORN, sex, "+77011234567", ERLAN.address(),
                MOTHER_IIN), TODAY);
    }

    static Matcher.Candidate patient(String id, MatchProfile... sources) {
        return new Matcher.Candidate(id, Arrays.stream(sources).filter(p -> p.iinValid).map(p -> p.iin).findFirst().orElse(null),
                List.of(sources));
    }

    @Test
    void aNewbornIsNeverLinkedToItsMotherNorHerNextRecordToTheNewborn() {
        MatchProfile mother = MatchProfile.of(MOTHER, TODAY);
        MatchDecision toMother = MATCHER.decide(newborn(null, "F", null), List.of(patient("mother", mother)));
        assertThat(toMother.outcome()).isEqualTo(Outcome.NEW);

        MatchDecision toBaby = MATCHER.decide(MatchProfile.of(erlanWith(m("iin", MOTHER_IIN)), TODAY),
                List.of(patient("baby", newborn(null, "F", null))));
        assertThat(toBaby.outcome()).isEqualTo(Outcome.NEW);
    }

    @Test
    void theChildsOwnIinRecordJoinsTheNewbornAndIgnoresTheMother() {
        String own = kz.ehr.identity.Iin.issue(BORN, "F", 17);
        MatchDecision d = MATCHER.decide(newborn(own, "F", "Айару"),
                List.of(patient("mother", MatchProfile.of(MOTHER, TODAY)), patient("baby", newborn(null, "F", null))));
        assertThat(d.outcome()).isEqualTo(Outcome.LINK_DETERMINISTIC);
        assertThat(d.enterpriseId()).isEqualTo("baby");
        assertThat(d.reason()).startsWith("NEWBORN_SAME_CHILD");
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(nullValues = "-", value = {
            "twin of the other sex,                F, -,     M, -,     NEW",
            "twins with different first names,     M, Дамир, M, Алихан, NEW",
            "same sex and unnamed and neither with an IIN, M, -, M, -, REVIEW",
    })
    void twinsAreNeverLinkedToEachOther(String title, String sexA, String firstA, String sexB, String firstB, Outcome outcome) {
        MatchDecision d = MATCHER.decide(newborn(null, sexB, firstB), List.of(patient("twin", newborn(null, sexA, firstA))));
        assertThat(d.outcome()).as(title).isEqualTo(outcome);
    }

    @Test
    void anOwnIinRecordThatFitsTwoUnnamedTwinsGoesToAPerson() {
        String own = kz.ehr.identity.Iin.issue(BORN, "M", 17);
        MatchDecision d = MATCHER.decide(newborn(own, "M", "Алихан"),
                List.of(patient("twin-a", newborn(null, "M", null)), patient("twin-b", newborn(null, "M", null))));
        assertThat(d.outcome()).isEqualTo(Outcome.REVIEW);
        assertThat(d.reason()).startsWith("NEWBORN_AMBIGUOUS");
    }
}
