package kz.ehr.screening;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.Period;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScreeningProgrammeTests {
    static ScreeningProgramme domain(String code) {
        return ScreeningProgramme.inForce(ScreeningProgramme.DOMAIN, code, LocalDate.of(2026, 1, 1)).orElseThrow();
    }

    @Test
    void theTableIsDomainMd() {
        assertThat(ScreeningProgramme.domainCodes())
                .containsExactly("BREAST", "CARDIO", "CERVICAL", "CHILD_PREVENTIVE", "COLORECTAL", "GLAUCOMA");
        assertThat(domain("BREAST").describe()).isEqualTo("women 40–70, every 2 years");
        assertThat(domain("CERVICAL").describe()).isEqualTo("women 30–70, every 4 years");
        assertThat(domain("COLORECTAL").describe()).isEqualTo("50–70, every 2 years");
        assertThat(domain("CARDIO").describe()).isEqualTo("40–70");
        assertThat(domain("GLAUCOMA").interval()).isNull();
        assertThat(domain("CHILD_PREVENTIVE").describe()).isEqualTo("0–17, every year");
    }

    @ParameterizedTest(name = "{0} after {1}: on {2} too soon = {3}")
    @CsvSource({
            "BREAST,           2024-03-10, 2026-03-09, true",   // a day short of two years
            "BREAST,           2024-03-10, 2026-03-10, false",  // exactly two years: allowed
            "BREAST,           2024-02-29, 2026-02-27, true",
            "BREAST,           2024-02-29, 2026-02-28, false",  // from a leap day: 28 February two years on
            "CERVICAL,         2024-02-29, 2028-02-28, true",   // four years on is a leap year again: the 29th
            "CERVICAL,         2024-02-29, 2028-02-29, false",
            "COLORECTAL,       2025-12-31, 2027-12-30, true",
            "COLORECTAL,       2025-12-31, 2027-12-31, false",
            "CHILD_PREVENTIVE, 2025-01-15, 2026-01-14, true",
            "CHILD_PREVENTIVE, 2025-01-15, 2026-01-15, false",
            "CHILD_PREVENTIVE, 2023-02-28, 2024-02-27, true",   // across a leap day: still the same date a year on
            "CHILD_PREVENTIVE, 2023-02-28, 2024-02-28, false",
            "CARDIO,           2025-01-15, 2025-01-16, false"}) // no interval stated: never too soon
    void aScreeningIsTooSoonUntilTheIntervalHasPassed(String code, LocalDate previous, LocalDate date, boolean tooSoon) {
        assertThat(domain(code).tooSoon(previous, date)).isEqualTo(tooSoon);
    }

    @ParameterizedTest(name = "{0} for {1} born {2}, last {3}: due on {4} = {5}")
    @CsvSource({
            "CHILD_PREVENTIVE, M, 2008-06-01, ,           2026-05-31, true",   // 17 years and 364 days: still a child
            "CHILD_PREVENTIVE, M, 2008-06-01, ,           2026-06-01, false",  // 18th birthday: no longer
            "CHILD_PREVENTIVE, F, 2008-02-29, ,           2026-02-28, true",   // born on a leap day: 18 on 1 March
            "CHILD_PREVENTIVE, F, 2008-02-29, ,           2026-03-01, false",
            "CHILD_PREVENTIVE, F, 2026-05-01, ,           2026-05-01, true",   // a newborn, never examined
            "CHILD_PREVENTIVE, F, 2015-05-01, 2025-09-10, 2026-09-09, false",
            "CHILD_PREVENTIVE, F, 2015-05-01, 2025-09-10, 2026-09-10, true",
            "BREAST,           F, 1986-04-02, ,           2026-04-01, false",  // 39
            "BREAST,           F, 1986-04-02, ,           2026-04-02, true",   // 40 today
            "BREAST,           M, 1970-01-01, ,           2026-04-02, false",  // not for men
            "BREAST,           F, 1955-04-02, 2024-01-01, 2026-04-01, true",   // 70 until tomorrow
            "BREAST,           F, 1955-04-02, 2024-01-01, 2026-04-02, false",  // 71
            "CERVICAL,         F, 1990-01-01, 2023-06-30, 2027-06-29, false",
            "CERVICAL,         F, 1990-01-01, 2023-06-30, 2027-06-30, true",
            "CARDIO,           M, 1970-01-01, ,           2026-04-02, false"}) // in the group, but no interval: not listed by it
    void dueMeansInTheGroupThatDayAndTheIntervalPassed(String code, String sex, LocalDate birth, LocalDate last, LocalDate asOf,
                                                       boolean due) {
        assertThat(domain(code).dueOn(sex, birth, last, asOf)).isEqualTo(due);
    }

    @Test
    void theVersionInForceOnTheDayApplies() {
        List<ScreeningProgramme> versions = List.of(domain("BREAST"),
                new ScreeningProgramme("BREAST", "F", 45, 70, Period.ofYears(3), LocalDate.of(2026, 7, 1)));
        assertThat(ScreeningProgramme.inForce(versions, "BREAST", LocalDate.of(2026, 6, 30)).orElseThrow().minAge()).isEqualTo(40);
        assertThat(ScreeningProgramme.inForce(versions, "BREAST", LocalDate.of(2026, 7, 1)).orElseThrow().interval())
                .isEqualTo(Period.ofYears(3));
        assertThat(ScreeningProgramme.inForce(versions, "BREAST", LocalDate.of(1999, 12, 31))).isEmpty();
        assertThat(ScreeningProgramme.inForce(versions, "PILOT", LocalDate.of(2026, 7, 1))).isEmpty();
    }
}
