package kz.ehr.billing.fraud;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The same service code for the same patient, on the same date, by the same provider, booked again; the first booking stands. */
public final class DuplicateServiceRule implements PersonRule {
    public static final String ID = "DUPLICATE_SERVICE";
    static final Comparator<ScreenedVisit> ORDER = Comparator.comparing(ScreenedVisit::start).thenComparing(ScreenedVisit::visitKey);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<String> check(ScreenedVisit visit, PersonContext person, FraudPolicy policy) {
        Seen earlier = new Seen();
        for (ScreenedVisit other : person.visits()) {
            if (ORDER.compare(other, visit) < 0 && other.date().equals(visit.date())) {
                earlier.add(other); // all of one date: the order they come in does not matter
            }
        }
        return earlier.repeatedBy(visit);
    }

    /**
     * The services a person's visits booked so far, per date and provider: fed in (start, visitKey) order, a visit
     * repeats the services earlier ones of its date and provider booked. Holds one date at a time (a visit's date is
     * its start's day, so dates only grow along that order): the person's whole history is never needed at once.
     */
    public static final class Seen {
        private LocalDate date;
        private final Map<String, Set<String>> byProvider = new HashMap<>();

        /** The reason, when {@code visit} books again a service an earlier visit of its date and provider booked. */
        public Optional<String> repeatedBy(ScreenedVisit visit) {
            Set<String> booked = visit.date().equals(date) ? byProvider.get(visit.polyclinicBin()) : null;
            if (booked == null) {
                return Optional.empty();
            }
            List<String> repeated = new ArrayList<>();
            for (String s : visit.services()) {
                if (booked.contains(s) && !repeated.contains(s)) {
                    repeated.add(s);
                }
            }
            if (repeated.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("Service " + String.join(", ", repeated) + " was already booked for this patient by the same provider on "
                    + visit.date() + ".");
        }

        /** Counts {@code visit} as booked; visits come in (start, visitKey) order. */
        public void add(ScreenedVisit visit) {
            if (!visit.date().equals(date)) {
                date = visit.date();
                byProvider.clear();
            }
            byProvider.computeIfAbsent(visit.polyclinicBin(), k -> new HashSet<>()).addAll(visit.services());
        }
    }
}
