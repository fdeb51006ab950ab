package kz.ehr.ingestion.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


class IinTests {

    @ParameterizedTest(name = "{0} is valid: {1}")
    @CsvSource({
            "850315300019, true",
            "900101400013, true",
            "061211600012, true",   // needs the second pass
            "501231400009, true",   // second pass
            "850315300018, false",  // wrong check digit
            "85031530001, false",   // 11 digits
            "85031530001a, false",
            "850315302600, false",  // stem 85031530260 gives 10 on both passes: never issued
    })
    void checkDigit(String iin, boolean valid) {
        assertThat(Iin.hasValidCheckDigit(iin)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0} was born {1}, sex {2}")
    @CsvSource({
            "850315300019, 1985-03-15, M",
            "900101400013, 1990-01-01, F",
            "061211600012, 2006-12-11, F",
    })
    void birthDateAndSexComeFromTheDigits(String iin, LocalDate birthDate, String sex) {
        assertThat(Iin.birthDate(iin)).contains(birthDate);
        assertThat(Iin.sex(iin)).contains(sex);
    }

    @ParameterizedTest
    @CsvSource({"850230300019", "850315000019", "850315700019"})
    void impossibleDatesAndCenturyDigitsHaveNoBirthDate(String iin) {
        assertThat(Iin.birthDate(iin)).isEmpty();
    }
}
