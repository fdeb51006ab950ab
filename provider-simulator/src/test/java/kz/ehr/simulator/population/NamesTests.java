package kz.ehr.simulator.population;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTests {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"Ахметов, Ахметова", "Иванов, Иванова", "Соловьёв, Соловьёва", "Никитин, Никитина", "Ковальский, Ковальская",
            "Сейтқали, Сейтқали"})
    void feminine_surnames_take_the_feminine_ending(String masculine, String feminine) {
        assertThat(Names.surnameFor(masculine, Sex.F)).isEqualTo(feminine);
        assertThat(Names.surnameFor(masculine, Sex.M)).isEqualTo(masculine);
        assertThat(Names.masculineSurname(feminine)).isEqualTo(masculine);
    }

    @ParameterizedTest(name = "{0} → {1} / {2}")
    @CsvSource({"Иван, Иванович, Ивановна", "Сергей, Сергеевич, Сергеевна", "Дмитрий, Дмитриевич, Дмитриевна",
            "Игорь, Игоревич, Игоревна", "Никита, Никитич, Никитична", "Илья, Ильич, Ильинична", "Ерлан, Ерланович, Ерлановна",
            "Асқар, Асқарович, Асқаровна"})
    void russian_style_patronymics_follow_the_father_name(String father, String son, String daughter) {
        assertThat(Names.patronymic(father, Sex.M)).isEqualTo(son);
        assertThat(Names.patronymic(father, Sex.F)).isEqualTo(daughter);
    }

    @ParameterizedTest(name = "{0} → {1} / {2}")
    @CsvSource({"Серік, Серікұлы, Серікқызы", "Ерлан, Ерланұлы, Ерланқызы"})
    void kazakh_style_patronymics_use_uly_and_kyzy(String father, String son, String daughter) {
        assertThat(Names.kazakhPatronymic(father, Sex.M)).isEqualTo(son);
        assertThat(Names.kazakhPatronymic(father, Sex.F)).isEqualTo(daughter);
    }
}
