package kz.ehr.simulator.corruption;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import kz.ehr.simulator.population.Household;
import kz.ehr.simulator.population.Person;
import kz.ehr.simulator.population.PopulationGenerator;
import kz.ehr.simulator.population.Window;
import kz.ehr.identity.CheckDigit;

class CorruptionTests {
    private static final double RATE = 0.2;
    private static final List<Person> PEOPLE = new ArrayList<>();
    private static final List<SourcePatient> VIEWS = new ArrayList<>();

    @BeforeAll
    static void corrupt() {
        PopulationGenerator g = new PopulationGenerator(7, Window.defaults());
        while (g.personsGenerated() < 40_000) {
            Household h = g.nextHousehold();
            PEOPLE.addAll(h.members);
        }
        Map<Corruption, Double> rates = new EnumMap<>(Corruption.class);
        for (Corruption c : Corruption.values()) {
            rates.put(c, RATE);
        }
        PatientCorruptor corruptor = new PatientCorruptor("kmis", new ErrorProfile(rates), 7);
        PEOPLE.forEach(p -> VIEWS.add(corruptor.view(p)));
    }

    /** Who each kind can apply to: an IIN error needs an IIN still present, the others need a chance to show. */
    private static Predicate<Integer> applicable(Corruption c) {
        return i -> {
            Person p = PEOPLE.get(i);
            return switch (c) {
                case SURNAME_CHANGE -> p.maidenName != null;
                case DAY_MONTH_SWAP -> p.birthDate.getDayOfMonth() <= 12 && p.birthDate.getDayOfMonth() != p.birthDate.getMonthValue();
                case WRONG_IIN_DIGIT -> !VIEWS.get(i).applied().contains(Corruption.MISSING_IIN);
                default -> true;
            };
        };
    }

    @ParameterizedTest(name = "{0} hits about 20 % of the people it can apply to")
    @EnumSource(Corruption.class)
    void each_kind_is_applied_near_its_configured_rate(Corruption c) {
        int applicable = 0;
        int hit = 0;
        for (int i = 0; i < PEOPLE.size(); i++) {
            if (applicable(c).test(i)) {
                applicable++;
                hit += VIEWS.get(i).applied().contains(c) ? 1 : 0;
            }
        }
        assertThat(applicable).isGreaterThan(1000);
        assertThat((double) hit / applicable).isCloseTo(RATE, org.assertj.core.data.Offset.offset(0.02));
    }

    @Test
    void the_applied_errors_are_visible_in_the_demographics() {
        for (int i = 0; i < PEOPLE.size(); i++) {
            Person p = PEOPLE.get(i);
            SourcePatient v = VIEWS.get(i);
            if (v.applied().isEmpty()) {
                assertThat(v.iin()).isEqualTo(p.iin);
                assertThat(v.lastName()).isEqualTo(p.lastName);
                assertThat(v.firstName()).isEqualTo(p.firstName);
                assertThat(v.middleName()).isEqualTo(p.middleName);
                assertThat(v.birthDate()).isEqualTo(p.birthDate.toString());
            }
            if (v.applied().contains(Corruption.MISSING_IIN)) {
                assertThat(v.iin()).isNull();
            }
            if (v.applied().contains(Corruption.WRONG_IIN_DIGIT)) {
                assertThat(v.iin()).hasSize(12).isNotEqualTo(p.iin);
                int differing = 0;
                for (int k = 0; k < 12; k++) {
                    differing += v.iin().charAt(k) != p.iin.charAt(k) ? 1 : 0;
                }
                assertThat(differing).isEqualTo(1);
            }
            if (v.applied().contains(Corruption.TRANSLITERATION)) {
                assertThat(v.lastName() + v.firstName()).doesNotContainPattern("\\p{IsCyrillic}");
            }
            if (v.applied().contains(Corruption.MISSING_PATRONYMIC)) {
                assertThat(v.middleName()).isNull();
            }
            if (v.applied().equals(java.util.Set.of(Corruption.SWAPPED_NAMES))) {
                assertThat(v.lastName()).isEqualTo(p.firstName);
                assertThat(v.firstName()).isEqualTo(p.lastName);
            }
            if (v.applied().equals(java.util.Set.of(Corruption.SURNAME_CHANGE))) {
                assertThat(v.lastName()).isEqualTo(p.maidenName);
            }
            if (v.applied().contains(Corruption.DAY_MONTH_SWAP)) {
                assertThat(v.birthDate()).isEqualTo(String.format("%d-%02d-%02d", p.birthDate.getYear(), p.birthDate.getDayOfMonth(),
                        p.birthDate.getMonthValue()));
            }
        }
    }

    @Test
    void a_wrong_iin_digit_sometimes_still_passes_the_checksum() {
        long wrong = VIEWS.stream().filter(v -> v.applied().contains(Corruption.WRONG_IIN_DIGIT)).count();
        long passing = VIEWS.stream().filter(v -> v.applied().contains(Corruption.WRONG_IIN_DIGIT))
                .filter(v -> CheckDigit.holds(v.iin())).count();
        assertThat(passing).isGreaterThan(0).isLessThan(wrong / 2);
    }

    @Test
    void a_provider_always_holds_the_same_view_of_a_person() {
        Map<Corruption, Double> rates = new EnumMap<>(ErrorProfile.defaultFor("kmis").rates());
        PatientCorruptor a = new PatientCorruptor("kmis", new ErrorProfile(rates), 7);
        PatientCorruptor b = new PatientCorruptor("kmis", new ErrorProfile(rates), 7);
        for (Person p : PEOPLE.subList(0, 2000)) {
            assertThat(a.view(p)).isEqualTo(b.view(p));
        }
    }

    @Test
    void local_ids_are_unique_per_provider_and_differ_between_providers() {
        LocalIds dm = new LocalIds("damumed", 42);
        LocalIds km = new LocalIds("kmis", 42);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (long i = 0; i < 200_000; i++) {
            assertThat(seen.add(dm.of(i))).isTrue();
        }
        assertThat(km.of(5)).isNotEqualTo(dm.of(5)).startsWith("KM");
    }

    @ParameterizedTest(name = "{0} → {1} ({2})")
    @CsvSource({"Жақсылықов, Zhaksylykov, ICAO", "Жақсылықов, Jaqsylyqov, KAZAKH_LATIN_2021", "Әсем, Asem, ICAO",
            "Әсем, Äsem, KAZAKH_LATIN_2021", "Щербаков, Shcherbakov, ICAO", "Юлия, Iuliia, ICAO"})
    void transliteration_follows_the_scheme(String cyrillic, String latin, Transliteration.Scheme scheme) {
        assertThat(Transliteration.toLatin(cyrillic, scheme)).isEqualTo(latin);
    }
}
