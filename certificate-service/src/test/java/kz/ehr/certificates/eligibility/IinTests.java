package kz.ehr.certificates.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IinTests {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "OK", value = {
            "850315300019, OK",
            "900101400013, OK",
            "061211600012, OK",
            "501231400009, OK",
            "850315300018, IIN_CHECKSUM",
            "85031530001,  IIN_FORMAT",
            "85031530001a, IIN_FORMAT",
            "853215300013, IIN_DATE",
            "850315900017, IIN_DATE",
            "850230300017, IIN_DATE"})
    void theCheckDigitAndFormatAreEnforced(String iin, String problem) {
        assertThat(Iin.problem(iin)).isEqualTo(problem);
    }
}
