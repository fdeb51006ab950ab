package kz.ehr.billing.capitation;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * One person's payment for one month with every factor and the money withheld per reason, so that
 * {@code fullAmount − withheldNoVisit − withheldNotInsured = amount} to the tiyn. The facts the formula used are
 * kept ({@code input}) so the explanation can be rendered at any time without storing sentences.
 *
 * @param withheldByFraudFlags the part of {@code withheldNoVisit} that a flagged visit would have avoided:
 *                             the money the fraud monitor protected on this line
 */
public record CapitationLine(CapitationInput input, LocalDate billingDate, int lookbackMonths, AgeBand ageBand,
                             BigDecimal baseRate, BigDecimal sexAgeCoefficient, BigDecimal regionalCoefficient,
                             BigDecimal visitFactor, BigDecimal insuranceFactor, BigDecimal appliedFactor,
                             BigDecimal fullAmount, BigDecimal amount, BigDecimal withheldNoVisit,
                             BigDecimal withheldNotInsured, BigDecimal withheldByFraudFlags, boolean paid,
                             EnumSet<Reason> reasonCodes) {

    public String personKey() {
        return input.personKey();
    }

    public String polyclinicBin() {
        return input.polyclinicBin();
    }

    /** 100, 90, 80 or 72 (percent of the full rate paid), 0 for an unpaid line. */
    public int factorPercent() {
        return paid ? appliedFactor.movePointRight(2).intValue() : 0;
    }

    /** Every reason as a sentence, ending with the arithmetic of the amount. */
    public List<String> explanation() {
        List<String> out = new ArrayList<>();
        LocalDate windowStart = billingDate.minusMonths(lookbackMonths);
        for (Reason r : reasonCodes) {
            out.add(switch (r) {
                case DEMOGRAPHICS_UNKNOWN -> "DEMOGRAPHICS_UNKNOWN: sex or birth date unknown, sex-age coefficient 1.0 used";
                case DIED -> "DIED: died " + input.deathDate() + ", before the billing date " + billingDate + "; not paid";
                case VISITED -> "VISITED: last counted visit " + input.lastCountedVisit() + ", within " + lookbackMonths + " months";
                case EXEMPT_INFANT -> "EXEMPT_INFANT: under 1 year on the billing date, no visit penalty";
                case EXEMPT_NEWLY_ATTACHED -> "EXEMPT_NEWLY_ATTACHED: attached since " + input.attachedSince()
                        + ", less than 12 months, no visit penalty";
                case NO_VISIT_12M -> "NO_VISIT_12M: no counted visit after " + windowStart + " → visit factor " + visitFactor.stripTrailingZeros().toPlainString()
                        + (withheldNoVisit.signum() > 0 ? ", withheld " + withheldNoVisit.toPlainString() + " ₸" : ", not applied (lowest factor only)");
                case FRAUD_FLAG_HOLDS_VISIT -> "FRAUD_FLAG_HOLDS_VISIT: the visit of " + input.lastFlaggedVisit()
                        + " is flagged by the fraud monitor and does not count until cleared";
                case NOT_INSURED -> "NOT_INSURED: " + (input.insured() == null ? "no ОСМС status known" : "not insured in ОСМС") + " on "
                        + billingDate + " → insurance factor " + insuranceFactor.stripTrailingZeros().toPlainString()
                        + (withheldNotInsured.signum() > 0 ? ", withheld " + withheldNotInsured.toPlainString() + " ₸" : ", not applied (lowest factor only)");
            });
        }
        if (paid) {
            out.add("AMOUNT: " + baseRate.toPlainString() + " × " + sexAgeCoefficient.toPlainString() + " × "
                    + regionalCoefficient.toPlainString() + " × " + appliedFactor.stripTrailingZeros().toPlainString() + " = "
                    + amount.toPlainString() + " ₸");
        }
        return out;
    }
}
