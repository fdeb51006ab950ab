package kz.ehr.billing.fraud;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import kz.ehr.billing.capitation.PersonHistory;

/**
 * The person rules and the near-mark test over one person's visits fed one at a time in (start, visitKey) order. It
 * holds the person's facts and one date's booked services, never the visits: a person with 50,000 visits can be
 * screened page by page, with the findings {@link FraudScreen#screenPerson} gives for the whole list.
 */
public final class PersonScreening {
    /** What one visit gave: the person rules' findings, and whether it came near the 12-month mark. */
    public record Screened(ScreenedVisit visit, List<Finding> findings, boolean nearMark, String region) {
    }

    private final FraudPolicy policy;
    private final PersonContext person;
    private final PersonHistory history;
    private final DuplicateServiceRule.Seen seen = new DuplicateServiceRule.Seen();
    private final ScreeningIntervalRule.Last screenings = new ScreeningIntervalRule.Last();
    private LocalDate previous;

    /** {@code person}: the facts (demographics, death, attachments, stays); its visits are not read. */
    public PersonScreening(FraudPolicy policy, PersonContext person) {
        this.policy = policy;
        this.person = person;
        this.history = person.asHistory();
    }

    /**
     * The next visit, in (start, visitKey) order. Not checked: the database's page order ({@code COLLATE "C"}, code
     * points) and Java's (UTF-16 units) differ only for keys beyond the BMP, and a batch must never fail on one.
     */
    public Screened next(ScreenedVisit v) {
        List<Finding> findings = new ArrayList<>();
        for (PersonRule rule : FraudScreen.PERSON_RULES) {
            var reason = rule instanceof DuplicateServiceRule ? seen.repeatedBy(v)
                    : rule instanceof ScreeningIntervalRule ? screenings.next(v, policy) : rule.check(v, person, policy);
            reason.ifPresent(r -> findings.add(new Finding(v.visitKey(), rule.id(), r)));
        }
        seen.add(v);
        var attachment = history.attachmentOn(v.date());
        // near the mark: the previous visit (never seen: the attachment start) lies between 11 and 12 months back
        LocalDate since = previous != null ? previous : attachment.map(PersonHistory.Attachment::from).orElse(null);
        boolean nearMark = since != null && !since.isAfter(v.date().minusMonths(policy.nearMarkFromMonths()))
                && since.isAfter(v.date().minusMonths(policy.markMonths()));
        if (previous == null || v.date().isAfter(previous)) {
            previous = v.date();
        }
        return new Screened(v, findings, nearMark, attachment.map(PersonHistory.Attachment::region).orElse(null));
    }
}
