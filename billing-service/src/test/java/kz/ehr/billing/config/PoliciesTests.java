package kz.ehr.billing.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The outreach lists' default {@code asOf}: today in the billing time zone, whatever the clock's own zone. */
class PoliciesTests {
    @ParameterizedTest(name = "{0} is {1} in Almaty")
    @CsvSource({
            "2025-11-30T18:59:59Z, 2025-11-30", // 23:59:59 in Almaty (UTC+5)
            "2025-11-30T19:00:00Z, 2025-12-01", // midnight in Almaty: the UTC date is still the 30th
            "2025-12-31T23:30:00Z, 2026-01-01"})
    void todayIsTheBillingZonesDate(String instant, String almatyDate) {
        // today() reads only the zone and the clock: no capitation or fraud policy is needed
        Policies policies = new Policies(null, null, ZoneId.of("Asia/Almaty"))
                .withClock(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));

        assertThat(policies.today()).isEqualTo(LocalDate.parse(almatyDate));
    }
}
