package kz.ehr.events.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class PgArraysTests {
    @Test
    void everyElementIsQuotedWithItsQuotesAndBackslashesEscapedAndANullIsNull() {
        assertThat(PgArrays.textArrayLiteral(Arrays.asList("J06.9", "a \"b\", c", "x\\y", "", null)))
                .isEqualTo("{\"J06.9\",\"a \\\"b\\\", c\",\"x\\\\y\",\"\",NULL}");
    }

    @Test
    void noValuesIsTheEmptyArray() {
        assertThat(PgArrays.textArrayLiteral(List.of())).isEqualTo("{}");
        assertThat(PgArrays.textArrayLiteral(null)).isEqualTo("{}");
    }
}
