package kz.ehr.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BinTests {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "VALID", value = {
            "100140000013, VALID",          // 2010-01, resident legal entity, head office, serial 1
            "100141000013, BIN_CHECKSUM",   // the same with attribute 1 but the old check digit
            "100140000012, BIN_CHECKSUM",
            "10014000001,  BIN_FORMAT",
            "10014000001x, BIN_FORMAT",
            "101340000013, BIN_DATE",       // month 13
            "100040000010, BIN_DATE",       // month 00
            "850315300019, BIN_TYPE",       // an IIN is not a BIN: digit 5 is 1
            "100130000019, BIN_TYPE",
            "100170000017, BIN_TYPE",
            "100144000015, BIN_ATTRIBUTE",
            "100149000012, BIN_ATTRIBUTE",
    })
    void problems(String bin, String code) {
        assertThat(Bin.problem(bin).map(IdentifierProblem::code).orElse(null)).isEqualTo(code);
        assertThat(Bin.isValid(bin)).isEqualTo(code == null);
    }

    @ParameterizedTest(name = "{0} is a BIN")
    @CsvSource({
            "070340000429",  // resident legal entity, head office
            "070341000424",  // branch
            "070343000425",  // peasant farm in a joint venture
            "070350000423",  // non-resident legal entity
            "070351000429",  // its branch
            "070360000428",  // individual entrepreneur in a joint venture
    })
    void everyKindAndAttributeIsAccepted(String bin) {
        assertThat(Bin.problem(bin)).isEmpty();
    }

    @ParameterizedTest(name = "BIN registered {0}-{1}, serial {2}")
    @CsvSource({"2001, 5, 17", "1999, 12, 99999", "2019, 1, 0"})
    void issuedBinsAreValid(int year, int month, int serial) {
        String bin = Bin.issue(year, month, serial);
        assertThat(bin).startsWith(String.format("%02d%02d40", year % 100, month));
        assertThat(Bin.isValid(bin)).isTrue();
    }
}
