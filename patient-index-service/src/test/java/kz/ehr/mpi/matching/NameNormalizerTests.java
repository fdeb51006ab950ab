package kz.ehr.mpi.matching;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameNormalizerTests {

    @ParameterizedTest(name = "{0} ≡ {1}")
    @CsvSource({
            // Cyrillic vs ICAO passport spelling
            "Жұмабеков, Zhumabekov",
            // Kazakh 2021 Latin
            "Жұмабеков, Jumabekov",
            "Шәріпов, Şäripov",
            "Шарипов, Sharipov",
            "Қасымов, Qasymov",
            "Қасымов, Kasymov",
            "Хасенов, Khasenov",
            "Хасенов, Hasenov",
            "Цой, Tsoi",
            "Цой, Tsoy",
            // feminine ending folds to the masculine one
            "Ахметова, Ахметов",
            "Akhmetova, Ахметов",
            "Ахмеtova, AKHMETOV",
            "Сейфуллина, Сейфуллин",
            "Сейфуллина, Seifulina",
            "Ковалевская, Kovalevskii",
            "Ковалевская, Ковалевский",
            // Kazakh letters folded
            "Әбілқасымов, Abilkasymov",
            "Өтегенов, Otegenov",
            "Үсенов, Usenov",
            "Ғалымжанов, Galymzhanov",
            // the Latin schwa is ә
            "Шәріпов, Şəripov",
            "Әбілқасымов, Əbilqasymov",
            "ӘБІЛҚАСЫМОВ, ƏBILQASYMOV",
    })
    void surnamesFoldToTheSameForm(String a, String b) {
        assertThat(NameNormalizer.surname(a)).isEqualTo(NameNormalizer.surname(b));
    }

    @ParameterizedTest(name = "{0} ≡ {1}")
    @CsvSource({
            "Ерлан, Yerlan",
            "Ерлан, Erlan",
            "Юрий, Yuriy",
            "Юрий, Iurii",
            "Айгүл, Aigul",
            "Айгүл, Aygul",
            "Нұрсұлтан, Nursultan",
            "Жанна, Zhanna",
            "Жанна, Janna",
            "Әлия, Aliya",
            "Әлия, Aliia",
            "Щукин, Shchukin",
            "Ержан, Yerzhan",
    })
    void givenNamesFoldAcrossTransliterationSchemes(String a, String b) {
        assertThat(NameNormalizer.givenName(a)).isEqualTo(NameNormalizer.givenName(b));
    }

    @ParameterizedTest(name = "{0} ≡ {1}")
    @CsvSource({
            "Серикович, Сериковна",
            "Serikovich, Сериковна",
            "Ерланович, Erlanovna",
            "Серікұлы, Серікқызы",
            "Serikuly, Серікқызы",
            "Сергеевич, Sergeevna",
            // -ична / -инична and their masculine -ич
            "Никитична, Никитич",
            "Nikitichna, Никитич",
            "Ильинична, Ильич",
            "Ilyinichna, Ilyich",
            "Фоминична, Фомич",
            "Кузьминична, Кузьмич",
            "Саввична, Саввич",
            // the Russian and Kazakh forms of one patronymic
            "Серикович, Серікұлы",
            "Сериковна, Серікқызы",
            "Серикович, Серікқызы",
            "Serikovich, Serikuly",
            "Serikovna, Seriqqyzy",
            "Ерланович, Ерланұлы",
            "Ерлановна, Ерланқызы",
            "Маратович, Maratuly",
            "Оралбаевич, Оралбайұлы",
            "Оралбаевна, Оралбайқызы",
            "Мусаевич, Мұсаұлы",
            "Жақсылықович, Жақсылықұлы",
            "Əbilqasymovich, Әбілқасымұлы",
    })
    void patronymicsLoseTheirGenderAndLanguage(String a, String b) {
        assertThat(NameNormalizer.patronymic(a)).isEqualTo(NameNormalizer.patronymic(b));
    }

    @ParameterizedTest(name = "{0} ≢ {1}")
    @CsvSource({
            "Серикович, Ерланович",
            "Серікұлы, Маратұлы",
            "Ильинична, Никитична",
            "Сериковна, Серікбайқызы",
            "Ахметович, Ахмедович",
    })
    void differentFathersStayDifferent(String a, String b) {
        assertThat(NameNormalizer.patronymic(a)).isNotEqualTo(NameNormalizer.patronymic(b));
    }

    @ParameterizedTest(name = "{0} ≢ {1}")
    @CsvSource({
            "Ахметов, Ахмедов",
            "Иванов, Петров",
            "Ерлан, Ержан",
            "Асель, Асан",
    })
    void differentNamesStayDifferent(String a, String b) {
        assertThat(NameNormalizer.surname(a)).isNotEqualTo(NameNormalizer.surname(b));
    }

    @ParameterizedTest
    @CsvSource(value = {"'', ''", "'  -. ', ''", "null, ''"}, nullValues = "null")
    void emptyNamesHaveAnEmptySkeleton(String raw, String expected) {
        assertThat(Transliteration.skeleton(raw)).isEqualTo(expected);
    }
}
