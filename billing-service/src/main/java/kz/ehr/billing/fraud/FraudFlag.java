package kz.ehr.billing.fraud;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A rule that fired on a visit, its readable reason, the money at stake and its review state.
 * Money at stake: the monthly capitation the visit would protect from the no-visit penalty for this person.
 * {@code identityInReview}: the visit's IIN is held by more than one enterprise patient right now (an IIN_CONFLICT
 * review, open or rejected; V10 {@code shared_iin}). The monitor screens by IIN, so it read both people's records as
 * one person's: a flag such as VISIT_AFTER_DEATH or ATTACHED_TWICE may stem from the other person's records, and a
 * reviewer checks whose they are before confirming.
 */
public record FraudFlag(String flagId, String visitKey, String polyclinicBin, String doctorId, LocalDate visitDate,
                        String ruleId, String reason, BigDecimal moneyAtStake, ReviewState state, Instant raisedAt,
                        boolean identityInReview) {
}
