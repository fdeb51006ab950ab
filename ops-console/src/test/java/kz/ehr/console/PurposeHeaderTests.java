package kz.ehr.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import kz.ehr.console.client.Services;

class PurposeHeaderTests {
    @Test
    void aKazakhOrRussianPurposeTravelsAsAsciiAndReadsBackAsTyped() {
        for (String typed : new String[] {"справка для работы", "емдеу үшін", "100% check", "treatment"}) {
            String header = Services.headerSafe(typed);
            assertThat(header).matches("[\\x20-\\x7e]*");
            assertThat(Services.fromHeader(header)).isEqualTo(typed);
        }
        assertThat(Services.headerSafe("treatment")).isEqualTo("treatment");
        assertThat(Services.fromHeader("50%")).as("not an encoding: shown as it is").isEqualTo("50%");
    }
}
