package kz.ehr.billing.capitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-computed capitation cases for November 2025 (billing date 2025-11-30, visit window 2024-12-01..2025-11-30).
 * A man born 1990-05-10 is 35: band 30–39, calibration coefficient 0.75, so his full rate is 1710 × 0.75 = 1282.50 ₸.
 */
class CapitationCalculatorTests {
    static final YearMonth NOV = YearMonth.of(2025, 11);
    static final LocalDate BORN = LocalDate.of(1990, 5, 10);
    static final LocalDate LONG_AGO = LocalDate.of(2020, 1, 1);
    static final LocalDate RECENT_VISIT = LocalDate.of(2025, 6, 1);
    static final Set<String> KINDS = Set.of("VISIT", "HOME_VISIT", "SCREENING", "VACCINATION", "TELEMEDICINE");

    static CapitationPolicy policy(CombinationPolicy combination) {
        return new CapitationPolicy("test", LocalDate.of(2025, 10, 1), new BigDecimal("1710"),
                Map.of("ALMATY:2025", new BigDecimal("1800")), Map.of("ALMATY", new BigDecimal("1.10")),
                CapitationPolicy.calibrationSexAgeTable(), new BigDecimal("0.8"), new BigDecimal("0.9"), combination, 12, 12, true,
                KINDS, true);
    }

    static CapitationPolicy beforeOctober() {
        return new CapitationPolicy("old", LocalDate.of(2020, 1, 1), new BigDecimal("1710"), Map.of(), Map.of(),
                CapitationPolicy.calibrationSexAgeTable(), BigDecimal.ONE, BigDecimal.ONE, CombinationPolicy.MULTIPLICATIVE, 12, 12,
                true, KINDS, true);
    }

    static CapitationInput man(Boolean insured, LocalDate lastVisit) {
        return new CapitationInput("850315300019", "BIN-A", null, LONG_AGO, "M", BORN, null, insured, lastVisit, null);
    }

    static Stream<Arguments> cases() {
        CapitationPolicy multiplicative = policy(CombinationPolicy.MULTIPLICATIVE);
        CapitationPolicy lowest = policy(CombinationPolicy.LOWEST_ONLY);
        return Stream.of(
                // name, input, policy, amount, visitFactor, insuranceFactor, withheldNoVisit, withheldNotInsured, percent
                Arguments.of("visited and insured: full rate", man(true, RECENT_VISIT), multiplicative, "1282.50", "1", "1", "0.00", "0.00", 100),
                Arguments.of("no visit in 12 months: 80%", man(true, null), multiplicative, "1026.00", "0.8", "1", "256.50", "0.00", 80),
                Arguments.of("not insured: 90%", man(false, RECENT_VISIT), multiplicative, "1154.25", "1", "0.9", "0.00", "128.25", 90),
                Arguments.of("both, multiplicative: 72%", man(false, null), multiplicative, "923.40", "0.8", "0.9", "256.50", "102.60", 72),
                Arguments.of("both, lowest only: 80%", man(false, null), lowest, "1026.00", "0.8", "0.9", "256.50", "0.00", 80),
                Arguments.of("insurance unknown counts as insured", man(null, RECENT_VISIT), multiplicative, "1282.50", "1", "1", "0.00", "0.00", 100),
                Arguments.of("visit exactly 12 months back is outside the window", man(true, LocalDate.of(2024, 11, 30)), multiplicative,
                        "1026.00", "0.8", "1", "256.50", "0.00", 80),
                Arguments.of("visit on the first day of the window counts", man(true, LocalDate.of(2024, 12, 1)), multiplicative,
                        "1282.50", "1", "1", "0.00", "0.00", 100),
                Arguments.of("infant exempt from the visit penalty (girl <1: 1710 × 3.10)",
                        new CapitationInput("250301600000", "BIN-A", null, LocalDate.of(2025, 3, 1), "F", LocalDate.of(2025, 3, 1), null,
                                true, null, null), multiplicative, "5301.00", "1", "1", "0.00", "0.00", 100),
                Arguments.of("attached under 12 months: exempt from the visit penalty",
                        new CapitationInput("850315300019", "BIN-A", null, LocalDate.of(2025, 3, 1), "M", BORN, null, true, null, null),
                        multiplicative, "1282.50", "1", "1", "0.00", "0.00", 100),
                Arguments.of("newly attached but not insured: only the insurance factor",
                        new CapitationInput("850315300019", "BIN-A", null, LocalDate.of(2025, 3, 1), "M", BORN, null, false, null, null),
                        multiplicative, "1154.25", "1", "0.9", "0.00", "128.25", 90),
                Arguments.of("died mid-month: not paid",
                        new CapitationInput("850315300019", "BIN-A", null, LONG_AGO, "M", BORN, LocalDate.of(2025, 11, 15), true, RECENT_VISIT, null),
                        multiplicative, "0.00", "1", "1", "0.00", "0.00", 0),
                Arguments.of("died the day before the billing date (30 Nov): not paid",
                        new CapitationInput("850315300019", "BIN-A", null, LONG_AGO, "M", BORN, LocalDate.of(2025, 11, 29), true, RECENT_VISIT, null),
                        multiplicative, "0.00", "1", "1", "0.00", "0.00", 0),
                Arguments.of("died on the billing date (last day of the month): paid for that month",
                        new CapitationInput("850315300019", "BIN-A", null, LONG_AGO, "M", BORN, LocalDate.of(2025, 11, 30), true, RECENT_VISIT, null),
                        multiplicative, "1282.50", "1", "1", "0.00", "0.00", 100),
                Arguments.of("died after the billing date: paid in full",
                        new CapitationInput("850315300019", "BIN-A", null, LONG_AGO, "M", BORN, LocalDate.of(2025, 12, 3), true, RECENT_VISIT, null),
                        multiplicative, "1282.50", "1", "1", "0.00", "0.00", 100),
                Arguments.of("regional base rate and coefficient: woman 45 (1.00) in Almaty: 1800 × 1.00 × 1.10",
                        new CapitationInput("800101400000", "BIN-B", "ALMATY", LONG_AGO, "F", LocalDate.of(1980, 1, 1), null, true, RECENT_VISIT, null),
                        multiplicative, "1980.00", "1", "1", "0.00", "0.00", 100),
                Arguments.of("before 1 October 2025 no penalties applied", man(false, null), beforeOctober(), "1282.50", "1", "1", "0.00", "0.00", 100));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void handComputedLine(String name, CapitationInput in, CapitationPolicy policy, String amount, String visitFactor, String insuranceFactor,
                          String withheldNoVisit, String withheldNotInsured, int percent) {
        CapitationLine line = CapitationCalculator.line(in, NOV, policy);
        assertThat(line.amount()).isEqualByComparingTo(amount);
        assertThat(line.visitFactor()).isEqualByComparingTo(visitFactor);
        assertThat(line.insuranceFactor()).isEqualByComparingTo(insuranceFactor);
        assertThat(line.withheldNoVisit()).isEqualByComparingTo(withheldNoVisit);
        assertThat(line.withheldNotInsured()).isEqualByComparingTo(withheldNotInsured);
        assertThat(line.factorPercent()).isEqualTo(percent);
        if (line.paid()) {
            // every tenge explained: full − withheld = amount
            assertThat(line.fullAmount().subtract(line.withheldNoVisit()).subtract(line.withheldNotInsured())).isEqualByComparingTo(line.amount());
        }
        assertThat(line.explanation()).isNotEmpty();
    }

    @Test
    void theRunsPriceCacheGivesTheSameLinesAsTheFormula() {
        CapitationCalculator.PriceCache cache = new CapitationCalculator.PriceCache();
        for (int pass = 0; pass < 2; pass++) {
            cases().forEach(a -> {
                Object[] args = a.get();
                CapitationInput in = (CapitationInput) args[1];
                CapitationPolicy policy = (CapitationPolicy) args[2];
                CapitationLine plain = CapitationCalculator.line(in, NOV, policy);
                // one cache per policy, as in a run
                CapitationLine cached = CapitationCalculator.line(in, NOV, policy, policy.combination() == CombinationPolicy.LOWEST_ONLY
                        || policy.id().equals("old") ? new CapitationCalculator.PriceCache() : cache);
                assertThat(cached).isEqualTo(plain);
            });
        }
    }

    @Test
    void aVisitHeldByAFraudFlagIsWithheldAsProtectedMoney() {
        CapitationInput in = new CapitationInput("850315300019", "BIN-A", null, LONG_AGO, "M", BORN, null, true, null, RECENT_VISIT);
        CapitationLine line = CapitationCalculator.line(in, NOV, policy(CombinationPolicy.MULTIPLICATIVE));
        assertThat(line.amount()).isEqualByComparingTo("1026.00");
        assertThat(line.withheldByFraudFlags()).isEqualByComparingTo("256.50");
        assertThat(line.explanation()).anyMatch(r -> r.startsWith("FRAUD_FLAG_HOLDS_VISIT"));
    }

    @Test
    void roundingIsHalfUpOnceOnTheFullAndOnThePaidAmount() {
        // woman 62 (1.35): 1710 × 1.35 = 2308.50; × 0.72 = 1662.12; no-visit part round(2308.5 × 0.2) = 461.70; insurance = 184.68
        CapitationInput in = new CapitationInput("630101400000", "BIN-A", null, LONG_AGO, "F", LocalDate.of(1963, 1, 1), null, false, null, null);
        CapitationLine line = CapitationCalculator.line(in, NOV, policy(CombinationPolicy.MULTIPLICATIVE));
        assertThat(line.fullAmount()).isEqualByComparingTo("2308.50");
        assertThat(line.amount()).isEqualByComparingTo("1662.12");
        assertThat(line.withheldNoVisit()).isEqualByComparingTo("461.70");
        assertThat(line.withheldNotInsured()).isEqualByComparingTo("184.68");
    }

    @Test
    void theVersionInForceOnTheBillingDateApplies() {
        CapitationPolicies versions = new CapitationPolicies(List.of(policy(CombinationPolicy.MULTIPLICATIVE), beforeOctober()));
        assertThat(versions.inForceOn(LocalDate.of(2025, 9, 30)).id()).isEqualTo("old");
        assertThat(versions.inForceOn(LocalDate.of(2025, 10, 1)).id()).isEqualTo("test");
    }

    static PersonHistory.Attachment att(String bin, String from, String to) {
        return new PersonHistory.Attachment(bin, null, LocalDate.parse(from), to == null ? null : LocalDate.parse(to));
    }

    @Test
    void anAttachmentChangeMidMonthPaysTheNewPolyclinicWhichIsExemptAsNewlyAttached() {
        PersonHistory h = new PersonHistory("850315300019", "M", BORN, null,
                List.of(att("BIN-A", "2020-01-01", null), att("BIN-B", "2025-11-10", null)), List.of(), List.of());
        CapitationInput in = h.inputFor(CapitationCalculator.billingDate(NOV), KINDS).orElseThrow();
        assertThat(in.polyclinicBin()).isEqualTo("BIN-B");
        CapitationLine line = CapitationCalculator.line(in, NOV, policy(CombinationPolicy.MULTIPLICATIVE));
        assertThat(line.amount()).isEqualByComparingTo("1282.50");
        assertThat(line.explanation()).anyMatch(r -> r.startsWith("EXEMPT_NEWLY_ATTACHED"));
        // in October the same person was still BIN-A's
        assertThat(h.attachmentOn(LocalDate.of(2025, 10, 31)).orElseThrow().polyclinicBin()).isEqualTo("BIN-A");
    }

    @Test
    void aPersonDetachedMidMonthIsNotOnTheStatement() {
        PersonHistory h = new PersonHistory("850315300019", "M", BORN, null, List.of(att("BIN-A", "2020-01-01", "2025-11-20")),
                List.of(), List.of());
        assertThat(h.inputFor(CapitationCalculator.billingDate(NOV), KINDS)).isEmpty();
    }

    @Test
    void insuranceOnTheBillingDateIsTheLatestCoveringPeriod() {
        PersonHistory h = new PersonHistory("k", "M", BORN, null, List.of(att("BIN-A", "2020-01-01", null)),
                List.of(new PersonHistory.InsurancePeriod(true, LocalDate.of(2020, 1, 1), null),
                        new PersonHistory.InsurancePeriod(false, LocalDate.of(2025, 11, 1), LocalDate.of(2025, 12, 31))),
                List.of(new PersonHistory.Visit(RECENT_VISIT, "VISIT", false)));
        CapitationInput in = h.inputFor(CapitationCalculator.billingDate(NOV), KINDS).orElseThrow();
        assertThat(in.insured()).isFalse();
        assertThat(CapitationCalculator.line(in, NOV, policy(CombinationPolicy.MULTIPLICATIVE)).amount()).isEqualByComparingTo("1154.25");
    }

    @Test
    void aVisitOfAKindThatDoesNotCountLeavesThePenalty() {
        PersonHistory h = new PersonHistory("k", "M", BORN, null, List.of(att("BIN-A", "2020-01-01", null)), List.of(),
                List.of(new PersonHistory.Visit(RECENT_VISIT, "LAB_ONLY", false)));
        CapitationInput in = h.inputFor(CapitationCalculator.billingDate(NOV), KINDS).orElseThrow();
        assertThat(CapitationCalculator.line(in, NOV, policy(CombinationPolicy.MULTIPLICATIVE)).visitFactor()).isEqualByComparingTo("0.8");
    }

    @Test
    void ageBandsFollowFullYearsOnTheBillingDate() {
        LocalDate on = LocalDate.of(2025, 11, 30);
        assertThat(AgeBand.of(LocalDate.of(2024, 12, 1), on)).isEqualTo(AgeBand.UNDER_1);
        assertThat(AgeBand.of(LocalDate.of(2024, 11, 30), on)).isEqualTo(AgeBand.AGE_1_4);
        assertThat(AgeBand.of(LocalDate.of(2005, 12, 1), on)).isEqualTo(AgeBand.AGE_15_19);
        assertThat(AgeBand.of(LocalDate.of(1955, 11, 30), on)).isEqualTo(AgeBand.AGE_70_PLUS);
    }
}
