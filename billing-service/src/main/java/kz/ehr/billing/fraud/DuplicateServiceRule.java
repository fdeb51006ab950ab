package kz.ehr.billing.fraud;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The same service code for the same patient, on the same date, by the same provider, booked again; the first booking stands. */
public final class DuplicateServiceRule implements PersonRule {
    public static final String ID = "DUPLICATE_SERVICE";
    private static final Comparator<ScreenedVisit> ORDER = Comparator.comparing(ScreenedVisit::start).thenComparing(ScreenedVisit::visitKey);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<String> check(ScreenedVisit visit, PersonContext person, FraudPolicy policy) {
        List<String> repeated = new ArrayList<>();
        for (ScreenedVisit other : person.visits()) {
            if (ORDER.compare(other, visit) < 0 && other.date().equals(visit.date())
                    && other.polyclinicBin().equals(visit.polyclinicBin())) {
                for (String s : visit.services()) {
                    if (other.services().contains(s) && !repeated.contains(s)) {
                        repeated.add(s);
                    }
                }
            }
        }
        if (repeated.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Service " + String.join(", ", repeated) + " was already booked for this patient by the same provider on "
                + visit.date() + ".");
    }
}
