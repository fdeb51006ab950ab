package kz.ehr.simulator.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IinsTests {
    @ParameterizedTest(name = "{0} is valid")
    @CsvSource({"850315300019", "900101400013", "061211600012", "501231400009"})
    void worked_examples_of_the_domain_page_are_valid(String iin) {
        assertThat(Iins.hasValidCheckDigit(iin)).isTrue();
    }

    @Test
    void a_stem_whose_remainder_is_ten_twice_is_never_issued() {
        assertThat(Iins.checkDigit("85031530260")).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0} {1} → century digit {2}")
    @CsvSource({"1985-03-15, M, 3", "1985-03-15, F, 4", "2006-12-11, M, 5", "2006-12-11, F, 6", "1899-12-31, F, 2"})
    void issued_iins_encode_birth_date_century_and_sex(LocalDate birth, Sex sex, int centuryDigit) {
        String iin = Iins.issue(birth, sex, 1);
        assertThat(iin).hasSize(12).startsWith(String.format("%02d%02d%02d", birth.getYear() % 100, birth.getMonthValue(),
                birth.getDayOfMonth()));
        assertThat(iin.charAt(6) - '0').isEqualTo(centuryDigit);
        assertThat(Iins.hasValidCheckDigit(iin)).isTrue();
    }

    @Test
    void issuing_skips_serials_whose_check_digit_does_not_exist() {
        // serial 0260 of 1985-03-15 male is the invalid stem of DOMAIN.md
        String iin = Iins.issue(LocalDate.of(1985, 3, 15), Sex.M, 260);
        assertThat(iin.substring(7, 11)).isNotEqualTo("0260");
        assertThat(Iins.hasValidCheckDigit(iin)).isTrue();
    }

    @ParameterizedTest(name = "BIN registered {0}-{1}, serial {2}")
    @CsvSource({"2001, 5, 17", "1999, 12, 99999", "2019, 1, 0"})
    void bins_follow_the_same_check_digit_rule(int year, int month, int serial) {
        String bin = Iins.issueBin(year, month, serial);
        assertThat(bin).hasSize(12).startsWith(String.format("%02d%02d40", year % 100, month));
        assertThat(Iins.hasValidCheckDigit(bin)).isTrue();
    }

    @ParameterizedTest(name = "{0} is rejected")
    @CsvSource({"850315300018", "85031530001", "8503153000190", "85031530001a"})
    void wrong_check_digits_and_shapes_are_rejected(String number) {
        assertThat(Iins.hasValidCheckDigit(number)).isFalse();
    }
}
