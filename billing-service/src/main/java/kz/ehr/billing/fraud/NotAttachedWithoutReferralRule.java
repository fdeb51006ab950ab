package kz.ehr.billing.fraud;

import java.util.Optional;

/**
 * A visit booked by a polyclinic to a patient attached elsewhere (or nowhere), without a referral. Attached as for
 * capitation (a later attachment ends an earlier one), except where the later one is the second attachment
 * {@link AttachedTwiceRule} flags: the polyclinic that attached the person first still holds them.
 */
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
        // the later attachment that superseded this polyclinic's overlaps its spell with an end on record: one person
        // attached twice, flagged on the later polyclinic's visits (ATTACHED_TWICE); this one still holds the person. In
        // the in-process fraud bench 8 of 22 false positives were a person's own polyclinic seen after such an attachment
        if (AttachedTwiceRule.stillHeldBy(person, visit.polyclinicBin(), visit.date())) {
            return Optional.empty();
        }
        return Optional.of("Visit on " + visit.date() + " by polyclinic " + visit.polyclinicBin() + " to a patient attached to "
                + attachment.get().polyclinicBin() + ", without a referral.");
    }
}
