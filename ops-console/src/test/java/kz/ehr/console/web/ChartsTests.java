package kz.ehr.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChartsTests {
    @Test
    void aSlowRateKeepsTwoSignificantDigitsInsteadOfReadingZero() {
        assertThat(Charts.format(110.0 / 3600)).isEqualTo("0.031");
        assertThat(Charts.format(1.0 / 60)).isEqualTo("0.017");
        assertThat(Charts.format(0)).isEqualTo("0");
        assertThat(Charts.format(7)).isEqualTo("7");
        assertThat(Charts.format(0.4)).isEqualTo("0.4");
        assertThat(Charts.format(103.0 / 60)).isEqualTo("1.7");
        assertThat(Charts.format(-0.05)).isEqualTo("-0.05");
    }
}
