package kz.ehr.billing.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CSV cells: free text never reaches a spreadsheet as a formula and reads back as sent; our own numbers stay numbers. */
class CsvTests {
    static Stream<Arguments> freeText() {
        return Stream.of(
                Arguments.of("a formula that would open a link", "=HYPERLINK(\"http://x\",\"click\")", "'=HYPERLINK(\"http://x\",\"click\")"),
                Arguments.of("a plus sign", "+1", "'+1"),
                Arguments.of("a minus sign", "-2+3", "'-2+3"),
                Arguments.of("an at sign", "@SUM(A1)", "'@SUM(A1)"),
                Arguments.of("a leading tab", "\t=1+1", "'\t=1+1"),
                Arguments.of("a leading carriage return", "\r=1+1", "'\r=1+1"),
                Arguments.of("a line break inside", "Абай\r\nкөшесі 5", "Абай\r\nкөшесі 5"),
                Arguments.of("quotes and commas", "Doe, \"Jr\"", "Doe, \"Jr\""),
                Arguments.of("Kazakh letters", "Әлия Қанатқызы Ұлықбекова", "Әлия Қанатқызы Ұлықбекова"),
                Arguments.of("a formula sign later in the text", "Smith=1", "Smith=1"),
                Arguments.of("empty", "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("freeText")
    void freeTextReadsBackAsTextBehindAQuoteWhenItLooksLikeAFormula(String name, String text, String cell) {
        String csv = Csv.record(Csv.text(text), Csv.text("next"));
        assertThat(csv).startsWith("\"").endsWith("\"next\"\r\n");
        assertThat(CsvRecords.parse(csv)).containsExactly(List.of(cell, "next"));
        assertThat(cell).isEqualTo(CsvRecords.neutralised(text));
    }

    @Test
    void aMissingValueIsAnEmptyCell() {
        assertThat(CsvRecords.parse(Csv.record(Csv.text(null), Csv.generated(null), "x"))).containsExactly(List.of("", "", "x"));
    }

    @Test
    void numbersAndDatesTheServiceFormattedStayBareSoANegativeAmountIsStillANumber() {
        assertThat(Csv.generated("-256.50")).isEqualTo("-256.50");
        assertThat(Csv.generated("1710.00")).isEqualTo("1710.00");
        assertThat(Csv.generated("0")).isEqualTo("0");
        assertThat(Csv.generated("2025-10-06")).isEqualTo("2025-10-06");
    }

    @Test
    void aValueCalledGeneratedThatIsNoNumberIsStillNeutralised() {
        assertThat(Csv.generated("-2+3")).isEqualTo("\"'-2+3\"");
        assertThat(Csv.generated("=1")).isEqualTo("\"'=1\"");
        assertThat(Csv.generated("-1e5")).isEqualTo("\"'-1e5\"");
    }
}
