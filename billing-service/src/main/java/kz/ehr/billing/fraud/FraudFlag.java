package kz.ehr.billing.fraud;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A rule that fired on a visit, its readable reason, the money at stake and its review state.
 * Money at stake: the monthly capitation the visit would protect from the no-visit penalty for this person.
 */
public record FraudFlag(String flagId, String visitKey, String polyclinicBin, String doctorId, LocalDate visitDate,
                        String ruleId, String reason, BigDecimal moneyAtStake, ReviewState state, Instant raisedAt) {
}
