package kz.ehr.billing.capitation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.EnumSet;

/**
 * The КПН formula of DOMAIN.md for one person and month.
 * <p>
 * Rounding: the unrounded product {@code baseRate × sexAge × regional} is the full rate; the full amount and the
 * paid amount are each rounded once, HALF_UP to 2 decimals (tiyn). When both penalties apply multiplicatively,
 * the no-visit part is {@code round(full × (1 − visitFactor))} and the insurance part is the remainder, so the
 * parts always add up exactly.
 */
public final class CapitationCalculator {
    private static final BigDecimal ZERO = new BigDecimal("0.00");

    private CapitationCalculator() {
    }

    /**
     * Persons are paid for a month if attached on its last day and did not die before it (DOMAIN.md: "people who died
     * ... before the billing date are not paid"): a death on the last day itself is still paid for that month.
     */
    public static LocalDate billingDate(YearMonth month) {
        return month.atEndOfMonth();
    }

    public static CapitationLine line(CapitationInput in, YearMonth month, CapitationPolicy policy) {
        return line(in, month, policy, null);
    }

    /** The money of one combination of rate parts and penalties; the same for every person sharing them. */
    public record Priced(BigDecimal applied, BigDecimal full, BigDecimal amount, BigDecimal byVisit, BigDecimal byInsurance) {
    }

    record PriceKey(BigDecimal baseRate, BigDecimal sexAge, BigDecimal regional, BigDecimal visitFactor, BigDecimal insuranceFactor) {
    }

    /** Memo of {@link #price} for a run over many persons: a few hundred distinct combinations price a million lines. */
    public static final class PriceCache {
        private final java.util.HashMap<PriceKey, Priced> prices = new java.util.HashMap<>();
    }

    /**
     * As {@link #line(CapitationInput, YearMonth, CapitationPolicy)}; with a cache, the money of a combination
     * already priced is reused (same formula, same rounding).
     */
    public static CapitationLine line(CapitationInput in, YearMonth month, CapitationPolicy policy, PriceCache cache) {
        LocalDate billingDate = billingDate(month);
        EnumSet<Reason> reasons = EnumSet.noneOf(Reason.class);
        AgeBand band = in.birthDate() == null ? null : AgeBand.of(in.birthDate(), billingDate);
        BigDecimal baseRate = policy.baseRate(in.region(), month.getYear());
        BigDecimal sexAge = band == null ? BigDecimal.ONE : policy.sexAgeCoefficient(in.sex(), band);
        BigDecimal regional = policy.regionalCoefficient(in.region());
        int lookback = policy.visitLookbackMonths();
        if (band == null || in.sex() == null) {
            reasons.add(Reason.DEMOGRAPHICS_UNKNOWN);
        }

        if (in.deathDate() != null && in.deathDate().isBefore(billingDate)) {
            reasons.add(Reason.DIED);
            return new CapitationLine(in, billingDate, lookback, band, baseRate, sexAge, regional, BigDecimal.ONE, BigDecimal.ONE,
                    BigDecimal.ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, false, reasons);
        }

        BigDecimal visitFactor = BigDecimal.ONE;
        LocalDate windowStart = billingDate.minusMonths(lookback);
        boolean infant = in.birthDate() != null && AgeBand.ageOn(in.birthDate(), billingDate) < 1;
        boolean newlyAttached = in.attachedSince() != null
                && in.attachedSince().isAfter(billingDate.minusMonths(policy.exemptAttachedUnderMonths()));
        boolean visited = in.lastCountedVisit() != null && in.lastCountedVisit().isAfter(windowStart);
        if (visited) {
            reasons.add(Reason.VISITED);
        } else if (policy.exemptInfants() && infant) {
            reasons.add(Reason.EXEMPT_INFANT);
        } else if (newlyAttached) {
            reasons.add(Reason.EXEMPT_NEWLY_ATTACHED);
        } else {
            visitFactor = policy.noVisitFactor();
            if (in.lastFlaggedVisit() != null && in.lastFlaggedVisit().isAfter(windowStart)) {
                reasons.add(Reason.FRAUD_FLAG_HOLDS_VISIT);
            }
        }

        BigDecimal insuranceFactor = BigDecimal.ONE;
        if (Boolean.FALSE.equals(in.insured()) || (in.insured() == null && !policy.unknownInsuranceCountsAsInsured())) {
            insuranceFactor = policy.notInsuredFactor();
        }

        Priced p;
        if (cache == null) {
            p = price(baseRate, sexAge, regional, visitFactor, insuranceFactor, policy.combination());
        } else {
            final BigDecimal vf = visitFactor;
            final BigDecimal inf = insuranceFactor;
            p = cache.prices.computeIfAbsent(new PriceKey(baseRate, sexAge, regional, vf, inf),
                    k -> price(k.baseRate(), k.sexAge(), k.regional(), vf, inf, policy.combination()));
        }
        boolean visitPenalty = visitFactor.compareTo(BigDecimal.ONE) < 0;
        boolean insurancePenalty = insuranceFactor.compareTo(BigDecimal.ONE) < 0;
        if (visitPenalty) {
            reasons.add(Reason.NO_VISIT_12M);
        }
        if (insurancePenalty) {
            reasons.add(Reason.NOT_INSURED);
        }
        boolean fraudHeld = reasons.contains(Reason.FRAUD_FLAG_HOLDS_VISIT);
        return new CapitationLine(in, billingDate, lookback, band, baseRate, sexAge, regional, visitFactor, insuranceFactor, p.applied(),
                p.full(), p.amount(), p.byVisit(), p.byInsurance(), fraudHeld ? p.byVisit() : ZERO, true, reasons);
    }

    /** The formula's money: full rate, paid amount and the withheld parts, rounded as documented above. */
    static Priced price(BigDecimal baseRate, BigDecimal sexAge, BigDecimal regional, BigDecimal visitFactor, BigDecimal insuranceFactor,
                        CombinationPolicy combination) {
        BigDecimal applied = switch (combination) {
            case MULTIPLICATIVE -> visitFactor.multiply(insuranceFactor);
            case LOWEST_ONLY -> visitFactor.min(insuranceFactor);
        };
        BigDecimal fullRate = baseRate.multiply(sexAge).multiply(regional);
        BigDecimal full = money(fullRate);
        BigDecimal amount = money(fullRate.multiply(applied));
        BigDecimal withheld = full.subtract(amount);
        BigDecimal byVisit = ZERO;
        BigDecimal byInsurance = ZERO;
        boolean visitPenalty = visitFactor.compareTo(BigDecimal.ONE) < 0;
        boolean insurancePenalty = insuranceFactor.compareTo(BigDecimal.ONE) < 0;
        if (visitPenalty && insurancePenalty && combination == CombinationPolicy.MULTIPLICATIVE) {
            byVisit = money(fullRate.multiply(BigDecimal.ONE.subtract(visitFactor)));
            byInsurance = withheld.subtract(byVisit);
        } else if (visitPenalty && (!insurancePenalty || visitFactor.compareTo(insuranceFactor) <= 0)) {
            byVisit = withheld;
        } else if (insurancePenalty) {
            byInsurance = withheld;
        }
        return new Priced(applied, full, amount, byVisit, byInsurance);
    }

    public static BigDecimal money(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP);
    }
}
