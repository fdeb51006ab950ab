package kz.ehr.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PurposeTests {
    @ParameterizedTest
    @ValueSource(strings = {"справка для работы", "емдеу үшін", "100% check", "treatment", "50%25 literal", "a+b"})
    void aKazakhOrRussianPurposeTravelsAsAsciiAndReadsBackAsTyped(String typed) {
        String header = Purpose.encode(typed);
        assertThat(header).matches("[\\x20-\\x7e]*");
        assertThat(Purpose.decode(header)).isEqualTo(typed);
        assertThat(Purpose.of(header)).isEqualTo(typed);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "%D1%81%D0%BF%D1%80%D0%B0%D0%B2%D0%BA%D0%B0|справка",
            "UTF-8''%D1%81%D0%BF%D1%80%D0%B0%D0%B2%D0%BA%D0%B0|справка",
            "utf-8''treatment|treatment",
            "%d1%81 check|с check",
            "treatment|treatment",
            "50%|50%",
            "100% sure|100% sure",
            "%FF%FE not UTF-8|%FF%FE not UTF-8",
            "%D1 cut short|%D1 cut short"})
    void theAuditRowHoldsReadableTextAndWhatIsNotTheEncodingStaysAsItCame(String header, String stored) {
        assertThat(Purpose.of(header)).isEqualTo(stored);
    }

    @Test
    void blankIsNoPurposeAndALongOneIsBoundedAfterDecoding() {
        assertThat(Purpose.of(null)).isNull();
        assertThat(Purpose.of("  ")).isNull();
        assertThat(Purpose.of("%20%20")).isNull();
        String longText = "ж".repeat(300);
        assertThat(Purpose.of(Purpose.encode(longText))).isEqualTo("ж".repeat(Purpose.MAX_LENGTH));
        assertThat(Caller.named("dr-a", "  %D0%B6 ").purpose()).isEqualTo("ж");
    }
}
