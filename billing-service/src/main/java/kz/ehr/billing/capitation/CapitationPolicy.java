package kz.ehr.billing.capitation;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * One dated version of the capitation rules: in force for billing dates on or after {@code effectiveFrom}
 * until the next version. Every number here is configuration (DOMAIN.md), not law.
 *
 * @param baseRates          base rate per "REGION:YEAR" (e.g. {@code ALMATY:2026}); falls back to {@code defaultBaseRate}
 * @param regionalCoefficients per region; a region not listed has 1.0
 * @param sexAgeCoefficients per sex ("M"/"F") and band; a missing sex or band is 1.0
 */
public record CapitationPolicy(
        String id,
        LocalDate effectiveFrom,
        BigDecimal defaultBaseRate,
        Map<String, BigDecimal> baseRates,
        Map<String, BigDecimal> regionalCoefficients,
        Map<String, EnumMap<AgeBand, BigDecimal>> sexAgeCoefficients,
        BigDecimal noVisitFactor,
        BigDecimal notInsuredFactor,
        CombinationPolicy combination,
        int visitLookbackMonths,
        int exemptAttachedUnderMonths,
        boolean exemptInfants,
        Set<String> countedVisitKinds,
        boolean unknownInsuranceCountsAsInsured) {

    public BigDecimal baseRate(String region, int year) {
        BigDecimal r = region == null ? null : baseRates.get(region + ":" + year);
        if (r == null) {
            r = baseRates.get("*:" + year);
        }
        return r == null ? defaultBaseRate : r;
    }

    public BigDecimal regionalCoefficient(String region) {
        BigDecimal c = region == null ? null : regionalCoefficients.get(region);
        return c == null ? BigDecimal.ONE : c;
    }

    public BigDecimal sexAgeCoefficient(String sex, AgeBand band) {
        EnumMap<AgeBand, BigDecimal> row = sex == null ? null : sexAgeCoefficients.get(sex);
        BigDecimal c = row == null ? null : row.get(band);
        return c == null ? BigDecimal.ONE : c;
    }

    /** The calibration sex-age table used when configuration gives none: NOT official figures. */
    public static Map<String, EnumMap<AgeBand, BigDecimal>> calibrationSexAgeTable() {
        return Map.of(
                "M", row("3.20", "1.90", "1.20", "1.00", "0.90", "0.70", "0.75", "0.85", "1.05", "1.35", "1.70"),
                "F", row("3.10", "1.85", "1.15", "1.00", "1.00", "1.10", "1.05", "1.00", "1.10", "1.35", "1.65"));
    }

    public static EnumMap<AgeBand, BigDecimal> row(String... values) {
        if (values.length != AgeBand.values().length) {
            throw new IllegalArgumentException("a sex-age row needs " + AgeBand.values().length + " coefficients, got " + values.length);
        }
        EnumMap<AgeBand, BigDecimal> m = new EnumMap<>(AgeBand.class);
        for (AgeBand b : AgeBand.values()) {
            m.put(b, new BigDecimal(values[b.ordinal()].trim()));
        }
        return m;
    }
}
