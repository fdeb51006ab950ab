package kz.ehr.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IinTests {
    static final LocalDate TODAY = LocalDate.of(2025, 11, 20);

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "VALID", value = {
            "850315300019, VALID",         // DOMAIN.md's worked examples
            "900101400013, VALID",
            "061211600012, VALID",         // needs the second weight set
            "501231400009, VALID",         // second weight set
            "850315300018, IIN_CHECKSUM",  // wrong check digit
            "850315302600, IIN_CHECKSUM",  // stem 85031530260 gives 10 with both weight sets: never issued
            "85031530001,  IIN_FORMAT",    // 11 digits
            "8503153000190, IIN_FORMAT",
            "85031530001a, IIN_FORMAT",
            "853215300013, IIN_DATE",      // month 32
            "850230300017, IIN_DATE",      // 30 February
            "850315000011, IIN_DATE",      // century digit 0 is never issued
            "850315900017, IIN_DATE",      // nor 9
            "791230100013, IIN_DATE",      // 1879-12-30: before 1880
            "251121500014, IIN_DATE",      // 2025-11-21: the day after TODAY
            "800101100013, VALID",         // 1880-01-01: the first day allowed
            "251120500019, VALID",         // born TODAY
    })
    void problems(String iin, String code) {
        assertThat(Iin.problem(iin, TODAY).map(IdentifierProblem::code).orElse(null)).isEqualTo(code);
        assertThat(Iin.isValid(iin, TODAY)).isEqualTo(code == null);
    }

    @Test
    void nullIsAFormatProblem() {
        assertThat(Iin.problem(null, TODAY)).map(IdentifierProblem::code).contains("IIN_FORMAT");
    }

    @Test
    void unicodeDigitsAreNotDigits() {
        assertThat(Iin.problem("٨٥٠٣١٥٣٠٠٠١٩", TODAY)).map(IdentifierProblem::code).contains("IIN_FORMAT");
    }

    @Test
    void theChecksumReasonNamesTheExpectedDigitAndNeverTheNumber() {
        IdentifierProblem p = Iin.problem("850315300018", TODAY).orElseThrow();
        assertThat(p.reason()).isEqualTo("fails the IIN check digit (expected 9)").doesNotContain("8503");
        assertThat(Iin.problem("850315302600", TODAY).orElseThrow().reason()).contains("can never be issued");
    }

    @Test
    void theDefaultTodayIsTheSystemClockInKazakhstan() {
        String bornNextYear = Iin.issue(LocalDate.now(Iin.KAZAKHSTAN).plusYears(1), "M", 1);
        assertThat(Iin.problem(bornNextYear)).map(IdentifierProblem::reason).contains("encodes a birth date in the future");
        assertThat(Iin.isValid("850315300019")).isTrue();
    }

    @ParameterizedTest(name = "{0} was born {1}, sex {2}")
    @CsvSource({
            "850315300019, 1985-03-15, M",
            "900101400013, 1990-01-01, F",
            "061211600012, 2006-12-11, F",
            "791230100013, 1879-12-30, M",  // decodes although it is not valid
    })
    void birthDateAndSexComeFromTheDigits(String iin, LocalDate birthDate, String sex) {
        assertThat(Iin.birthDate(iin)).contains(birthDate);
        assertThat(Iin.sex(iin)).contains(sex);
    }

    @ParameterizedTest
    @CsvSource({"850230300019", "850315000019", "850315700019", "8503153", "''"})
    void impossibleDatesCenturyDigitsAndShapesDecodeToNothing(String iin) {
        assertThat(Iin.birthDate(iin)).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} → century digit {2}")
    @CsvSource({"1985-03-15, M, 3", "1985-03-15, F, 4", "2006-12-11, M, 5", "2006-12-11, F, 6", "1899-12-31, F, 2"})
    void issuedIinsEncodeBirthDateCenturyAndSexAndAreValid(LocalDate birth, String sex, int centuryDigit) {
        String iin = Iin.issue(birth, sex, 1);
        assertThat(iin.charAt(6) - '0').isEqualTo(centuryDigit);
        assertThat(Iin.birthDate(iin)).contains(birth);
        assertThat(Iin.sex(iin)).contains(sex);
        assertThat(Iin.isValid(iin, TODAY)).isTrue();
    }

    @Test
    void issuingSkipsASerialWhoseCheckDigitDoesNotExist() {
        String iin = Iin.issue(LocalDate.of(1985, 3, 15), "M", 260); // the never-issued stem of DOMAIN.md
        assertThat(iin).startsWith("8503153");
        assertThat(iin.substring(7, 11)).isNotEqualTo("0260");
        assertThat(Iin.isValid(iin, TODAY)).isTrue();
    }

    @Test
    void centuriesOutsideTheIinAreRefused() {
        assertThatThrownBy(() -> Iin.centuryDigit(LocalDate.of(2100, 1, 1), "M")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void agreementWithTheRecordIgnoresMissingValuesButNotContradictions() {
        LocalDate birth = LocalDate.of(1985, 3, 15);
        assertThat(Iin.agreesWith("850315300019", birth, "M")).isTrue();
        assertThat(Iin.agreesWith("850315300019", null, null)).isTrue();
        assertThat(Iin.agreesWith("850315300019", birth.plusDays(1), "M")).isFalse();
        assertThat(Iin.agreesWith("850315300019", birth, "F")).isFalse();
        assertThat(Iin.agreesWith("850315300018", birth, "M")).isFalse();
    }
}
