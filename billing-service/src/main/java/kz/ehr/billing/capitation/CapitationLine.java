package kz.ehr.billing.capitation;

import java.math.BigDecimal;
import java.util.List;

/**
 * One person's payment for one month with every factor and the money withheld per reason, so that
 * {@code fullAmount − withheldNoVisit − withheldNotInsured = amount} to the tiyn.
 *
 * @param withheldByFraudFlags the part of {@code withheldNoVisit} that a flagged visit would have avoided:
 *                             the money the fraud monitor protected on this line
 */
public record CapitationLine(String personKey, String polyclinicBin, String region, String sex, AgeBand ageBand,
                             BigDecimal baseRate, BigDecimal sexAgeCoefficient, BigDecimal regionalCoefficient,
                             BigDecimal visitFactor, BigDecimal insuranceFactor, BigDecimal appliedFactor,
                             BigDecimal fullAmount, BigDecimal amount, BigDecimal withheldNoVisit,
                             BigDecimal withheldNotInsured, BigDecimal withheldByFraudFlags, boolean paid,
                             List<String> reasons) {

    /** 100, 90, 80 or 72 (percent of the full rate paid), 0 for an unpaid line. */
    public int factorPercent() {
        return paid ? appliedFactor.movePointRight(2).intValue() : 0;
    }
}
