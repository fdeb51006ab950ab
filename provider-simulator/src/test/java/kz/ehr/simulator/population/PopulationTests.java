package kz.ehr.simulator.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import kz.ehr.identity.Iin;

class PopulationTests {
    private static final List<Person> PEOPLE = new ArrayList<>();
    private static final List<Household> HOUSEHOLDS = new ArrayList<>();

    @BeforeAll
    static void generate() {
        PopulationGenerator g = new PopulationGenerator(42, Window.defaults());
        while (g.personsGenerated() < 30_000) {
            Household h = g.nextHousehold();
            HOUSEHOLDS.add(h);
            PEOPLE.addAll(h.members);
        }
    }

    @Test
    void every_iin_is_valid_unique_and_agrees_with_birth_date_and_sex() {
        Set<String> seen = new HashSet<>();
        for (Person p : PEOPLE) {
            assertThat(Iin.isValid(p.iin)).as(p.personId).isTrue();
            assertThat(p.iin.substring(0, 6)).isEqualTo(String.format("%02d%02d%02d", p.birthDate.getYear() % 100,
                    p.birthDate.getMonthValue(), p.birthDate.getDayOfMonth()));
            assertThat(p.iin.charAt(6) - '0').isEqualTo(Iin.centuryDigit(p.birthDate, p.sex.name()));
            assertThat(seen.add(p.iin)).as("IIN unique").isTrue();
        }
    }

    @Test
    void age_and_sex_structure_is_close_to_kazakhstan() {
        double n = PEOPLE.size();
        long children = PEOPLE.stream().filter(p -> p.ageOn(Window.defaults().end()) < 15).count();
        long elderly = PEOPLE.stream().filter(p -> p.ageOn(Window.defaults().end()) >= 65).count();
        long women = PEOPLE.stream().filter(p -> p.sex == Sex.F).count();
        // Kazakhstan 2024: about 29 % under 15, 8 % aged 65+, 51 % women
        assertThat(children / n).isBetween(0.22, 0.34);
        assertThat(elderly / n).isBetween(0.05, 0.12);
        assertThat(women / n).isBetween(0.49, 0.55);
        assertThat(PEOPLE.stream().mapToInt(p -> p.ageOn(Window.defaults().end())).max().orElseThrow()).isGreaterThan(85);
    }

    @Test
    void families_share_an_address_and_the_surname_line_and_some_children_are_twins() {
        long families = 0;
        for (Household h : HOUSEHOLDS) {
            if (h.members.size() < 3) {
                continue;
            }
            families++;
            Person father = h.members.get(0);
            for (Person child : h.members.subList(2, h.members.size())) {
                if (child.ageOn(Window.defaults().end()) < 18 && father.sex == Sex.M) {
                    assertThat(Names.masculineSurname(child.lastName)).isEqualTo(father.lastName);
                    assertThat(child.middleName).isIn(Names.patronymic(father.firstName, child.sex),
                            Names.kazakhPatronymic(father.firstName, child.sex));
                }
            }
        }
        assertThat(families).isGreaterThan(1000);
        List<Person> twins = PEOPLE.stream().filter(p -> p.twin).toList();
        assertThat(twins).isNotEmpty();
        for (Person t : twins) {
            assertThat(t.household.members.stream().filter(o -> o != t && o.twin && o.birthDate.equals(t.birthDate))).isNotEmpty();
        }
    }

    @Test
    void married_women_keep_a_maiden_name_and_use_the_feminine_husband_surname() {
        List<Person> changed = PEOPLE.stream().filter(p -> p.maidenName != null).toList();
        assertThat(changed.size()).isGreaterThan(PEOPLE.size() / 20);
        assertThat(changed).allSatisfy(p -> {
            assertThat(p.sex).isEqualTo(Sex.F);
            assertThat(p.maidenName).isNotEqualTo(p.lastName);
        });
    }

    @Test
    void some_people_die_inside_the_window_mostly_the_old() {
        List<Person> dead = PEOPLE.stream().filter(p -> p.deathDate != null).toList();
        assertThat(dead.size() / (double) PEOPLE.size()).isBetween(0.005, 0.04);
        assertThat(dead).allSatisfy(p -> assertThat(p.deathDate).isBetween(Window.defaults().start(), Window.defaults().end()));
        double medianAge = dead.stream().mapToInt(p -> p.ageOn(p.deathDate)).sorted().skip(dead.size() / 2).findFirst().orElseThrow();
        assertThat(medianAge).isGreaterThan(55);
    }

    @Test
    void names_are_cyrillic_with_kazakh_and_russian_ones() {
        assertThat(PEOPLE).allSatisfy(p -> assertThat(p.lastName + p.firstName + p.middleName).matches("[\\p{IsCyrillic}\\-]+"));
        assertThat(PEOPLE.stream().filter(p -> p.ethnicity == Names.Ethnicity.RUSSIAN).count()).isBetween(2000L, 10_000L);
        assertThat(PEOPLE.stream().anyMatch(p -> p.middleName.endsWith("қызы"))).isTrue();
    }
}
