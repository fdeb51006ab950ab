package kz.ehr.ingestion.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written fast path must accept and reject exactly what java.time does. */
class IsoDatesTests {

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-01T10:15:00+05:00", "2025-03-01T10:15:00Z", "2025-03-01T10:15:00.5Z",
            "2025-03-01T10:15:00.123456789-03:30", "2024-02-29T23:59:59+14:00", "2025-03-01T10:15+05:00",
            "2025-03-01T10:15:00+0500", "2025-02-29T10:15:00Z", "2025-03-01T24:00:00Z", "2025-03-01T10:15:00",
            "2025-03-01 10:15:00Z", "2025-03-01T10:15:00.Z", "2025-03-01T10:15:00.1234567890Z", "+2025-03-01T10:15:00Z",
            "2025-03-01T10:15:00+19:00", "2025-03-01T10:15:60Z", "2025-3-01T10:15:00Z", "abcd-ef-ghTij:kl:mnZ"})
    void instantsAgreeWithJavaTime(String s) {
        Object expected;
        try {
            expected = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            expected = "invalid";
        }
        Object actual;
        try {
            actual = IsoDates.instant(s);
        } catch (DateTimeParseException e) {
            actual = "invalid";
        }
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-01", "2024-02-29", "2025-02-29", "2025-13-01", "2025-00-10", "2025-1-01", "20250301",
            "2025/03/01", "+2025-03-01", "0000-01-01"})
    void datesAgreeWithJavaTime(String s) {
        Object expected;
        try {
            expected = LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            expected = "invalid";
        }
        Object actual;
        try {
            actual = IsoDates.date(s);
        } catch (DateTimeParseException e) {
            actual = "invalid";
        }
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-02-30", "2025-04-31"})
    void impossibleCalendarDatesAreParseErrors(String s) {
        assertThatThrownBy(() -> IsoDates.date(s)).isInstanceOf(DateTimeParseException.class);
    }
}
