package kz.ehr.billing.fraud;

import java.util.Optional;

/** A visit booked by a polyclinic to a patient attached elsewhere (or nowhere), without a referral. */
public final class NotAttachedWithoutReferralRule implements PersonRule {
    public static final String ID = "NOT_ATTACHED_NO_REFERRAL";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<String> check(ScreenedVisit visit, PersonContext person, FraudPolicy policy) {
        if (visit.referral()) {
            return Optional.empty();
        }
        var attachment = person.asHistory().attachmentOn(visit.date());
        if (attachment.isEmpty()) {
            return Optional.of("Visit on " + visit.date() + " by polyclinic " + visit.polyclinicBin()
                    + " to a patient attached to no polyclinic on that date, without a referral.");
        }
        if (attachment.get().polyclinicBin().equals(visit.polyclinicBin())) {
            return Optional.empty();
        }
        return Optional.of("Visit on " + visit.date() + " by polyclinic " + visit.polyclinicBin() + " to a patient attached to "
                + attachment.get().polyclinicBin() + ", without a referral.");
    }
}
