package kz.ehr.billing.capitation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

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

    /** Persons are paid for a month if attached and alive on its last day (documented policy). */
    public static LocalDate billingDate(YearMonth month) {
        return month.atEndOfMonth();
    }

    public static CapitationLine line(CapitationInput in, YearMonth month, CapitationPolicy policy) {
        LocalDate billingDate = billingDate(month);
        List<String> reasons = new ArrayList<>();
        AgeBand band = in.birthDate() == null ? null : AgeBand.of(in.birthDate(), billingDate);
        BigDecimal baseRate = policy.baseRate(in.region(), month.getYear());
        BigDecimal sexAge = band == null ? BigDecimal.ONE : policy.sexAgeCoefficient(in.sex(), band);
        BigDecimal regional = policy.regionalCoefficient(in.region());
        if (band == null || in.sex() == null) {
            reasons.add("DEMOGRAPHICS_UNKNOWN: sex or birth date unknown, sex-age coefficient 1.0 used");
        }

        if (in.deathDate() != null && !in.deathDate().isAfter(billingDate)) {
            reasons.add("DIED: died " + in.deathDate() + ", on or before the billing date " + billingDate + "; not paid");
            return new CapitationLine(in.personKey(), in.polyclinicBin(), in.region(), in.sex(), band, baseRate, sexAge,
                    regional, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, false, reasons);
        }

        BigDecimal visitFactor = BigDecimal.ONE;
        boolean fraudHeld = false;
        LocalDate windowStart = billingDate.minusMonths(policy.visitLookbackMonths());
        boolean infant = in.birthDate() != null && AgeBand.ageOn(in.birthDate(), billingDate) < 1;
        boolean newlyAttached = in.attachedSince() != null
                && in.attachedSince().isAfter(billingDate.minusMonths(policy.exemptAttachedUnderMonths()));
        boolean visited = in.lastCountedVisit() != null && in.lastCountedVisit().isAfter(windowStart);
        if (visited) {
            reasons.add("VISITED: last counted visit " + in.lastCountedVisit() + ", within " + policy.visitLookbackMonths() + " months");
        } else if (policy.exemptInfants() && infant) {
            reasons.add("EXEMPT_INFANT: under 1 year on the billing date, no visit penalty");
        } else if (newlyAttached) {
            reasons.add("EXEMPT_NEWLY_ATTACHED: attached since " + in.attachedSince() + ", less than "
                    + policy.exemptAttachedUnderMonths() + " months, no visit penalty");
        } else {
            visitFactor = policy.noVisitFactor();
            fraudHeld = in.lastFlaggedVisit() != null && in.lastFlaggedVisit().isAfter(windowStart);
        }

        BigDecimal insuranceFactor = BigDecimal.ONE;
        if (Boolean.FALSE.equals(in.insured()) || (in.insured() == null && !policy.unknownInsuranceCountsAsInsured())) {
            insuranceFactor = policy.notInsuredFactor();
        }

        BigDecimal applied = switch (policy.combination()) {
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
        if (visitPenalty && insurancePenalty && policy.combination() == CombinationPolicy.MULTIPLICATIVE) {
            byVisit = money(fullRate.multiply(BigDecimal.ONE.subtract(visitFactor)));
            byInsurance = withheld.subtract(byVisit);
        } else if (visitPenalty && (!insurancePenalty || visitFactor.compareTo(insuranceFactor) <= 0)) {
            byVisit = withheld;
        } else if (insurancePenalty) {
            byInsurance = withheld;
        }
        if (visitPenalty) {
            reasons.add("NO_VISIT_12M: no counted visit after " + windowStart + (in.lastCountedVisit() == null ? ""
                    : " (last counted " + in.lastCountedVisit() + ")") + " → visit factor " + visitFactor.toPlainString()
                    + (byVisit.signum() > 0 ? ", withheld " + byVisit.toPlainString() + " ₸" : ", not applied (lowest factor only)"));
        }
        if (fraudHeld) {
            reasons.add("FRAUD_FLAG_HOLDS_VISIT: the visit of " + in.lastFlaggedVisit()
                    + " is flagged by the fraud monitor and does not count until cleared");
        }
        if (insurancePenalty) {
            reasons.add("NOT_INSURED: " + (in.insured() == null ? "no ОСМС status known" : "not insured in ОСМС")
                    + " on " + billingDate + " → insurance factor " + insuranceFactor.toPlainString()
                    + (byInsurance.signum() > 0 ? ", withheld " + byInsurance.toPlainString() + " ₸" : ", not applied (lowest factor only)"));
        }
        reasons.add("AMOUNT: " + baseRate.toPlainString() + " × " + sexAge.toPlainString() + " × " + regional.toPlainString()
                + " × " + applied.stripTrailingZeros().toPlainString() + " = " + amount.toPlainString() + " ₸");
        return new CapitationLine(in.personKey(), in.polyclinicBin(), in.region(), in.sex(), band, baseRate, sexAge,
                regional, visitFactor, insuranceFactor, applied, full, amount, byVisit, byInsurance,
                fraudHeld ? byVisit : ZERO, true, reasons);
    }

    public static BigDecimal money(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP);
    }
}
