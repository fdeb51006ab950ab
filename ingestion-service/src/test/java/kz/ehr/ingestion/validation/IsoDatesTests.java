package kz.ehr.ingestion.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

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
        assertThat(outcome(() -> IsoDates.instant(s))).isEqualTo(outcome(() -> OffsetDateTime.parse(s).toInstant()));
    }

    /** The parsed value, or "invalid" when the parser throws DateTimeParseException. */
    static Object outcome(Supplier<Object> parse) {
        try {
            return parse.get();
        } catch (DateTimeParseException e) {
            return "invalid";
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-01", "2024-02-29", "2025-02-29", "2025-13-01", "2025-00-10", "2025-1-01", "20250301",
            "2025/03/01", "+2025-03-01", "0000-01-01"})
    void datesAgreeWithJavaTime(String s) {
        assertThat(outcome(() -> IsoDates.date(s))).isEqualTo(outcome(() -> LocalDate.parse(s)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-02-30", "2025-04-31"})
    void impossibleCalendarDatesAreParseErrors(String s) {
        assertThatThrownBy(() -> IsoDates.date(s)).isInstanceOf(DateTimeParseException.class);
    }
}
