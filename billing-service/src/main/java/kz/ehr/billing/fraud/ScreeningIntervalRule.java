package kz.ehr.billing.fraud;

import java.time.LocalDate;
import java.time.Period;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import kz.ehr.screening.ScreeningProgramme;

/**
 * A screening billed more often than its programme's interval allows (DOMAIN.md: breast every 2 years, cervical every
 * 4, colorectal every 2, the children's preventive exam every year): one dated before the interval since the person's
 * previous screening of that programme had passed. The first stands, and a flagged one does not move the clock, so one
 * fake screening does not make the genuine one after it look early. Exactly one interval later (from 29 February: 28
 * February of a common year) is allowed.
 */
public final class ScreeningIntervalRule implements PersonRule {
    public static final String ID = "SCREENING_BEFORE_INTERVAL";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<String> check(ScreenedVisit visit, PersonContext person, FraudPolicy policy) {
        Last last = new Last();
        person.visits().stream().filter(o -> DuplicateServiceRule.ORDER.compare(o, visit) < 0).sorted(DuplicateServiceRule.ORDER)
                .forEach(o -> last.next(o, policy));
        return last.next(visit, policy);
    }

    /**
     * The date of the last screening that stood, per programme, over a person's visits fed in (start, visitKey) order:
     * a few dates, never the visits.
     */
    public static final class Last {
        private final Map<String, LocalDate> stood = new HashMap<>();

        /** The reason when {@code visit} is a screening too soon after the last one that stood; counts it otherwise. */
        public Optional<String> next(ScreenedVisit visit, FraudPolicy policy) {
            if (!"SCREENING".equals(visit.kind()) || visit.screening() == null) {
                return Optional.empty();
            }
            Optional<ScreeningProgramme> programme = policy.programme(visit.screening(), visit.date());
            LocalDate previous = stood.get(visit.screening());
            if (programme.isPresent() && previous != null && programme.get().tooSoon(previous, visit.date())) {
                ScreeningProgramme p = programme.get();
                Period gap = Period.between(previous, visit.date());
                return Optional.of(visit.screening() + " screening on " + visit.date() + ", " + gap.getYears() + " y "
                        + gap.getMonths() + " m " + gap.getDays() + " d after the one of " + previous + "; the programme ("
                        + p.describe() + ") allows the next from " + p.nextDue(previous) + ".");
            }
            stood.put(visit.screening(), visit.date());
            return Optional.empty();
        }
    }
}
