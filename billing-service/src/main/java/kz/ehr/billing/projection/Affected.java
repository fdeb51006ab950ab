package kz.ehr.billing.projection;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a batch touched: the persons and doctor-days whose visits must be (re-)screened, and the person rows the
 * projection already holds in hand (as the batch left them) so that the monitor need not read them a second time.
 */
public record Affected(Set<String> persons, Set<DoctorDayKey> doctorDays, Map<String, PersonFacts> knownPersons) {
    /** Doctor ids are the provider's own: a doctor-day is scoped to the polyclinic that booked it. */
    public record DoctorDayKey(String polyclinicBin, String doctorId, LocalDate date) {
    }

    /** The person columns the fraud rules read, equal to the stored row at the end of the projection step. */
    public record PersonFacts(String sex, LocalDate birthDate, LocalDate deathDate) {
    }

    public static Affected empty() {
        return new Affected(new HashSet<>(), new HashSet<>(), new HashMap<>());
    }

    public Affected add(Affected other) {
        // a later step may have changed these persons (an MPI link moves deaths, a golden record brings demographics):
        // what this step knew about them is stale, so the monitor reads them again
        knownPersons.keySet().removeAll(other.persons);
        knownPersons.putAll(other.knownPersons);
        persons.addAll(other.persons);
        doctorDays.addAll(other.doctorDays);
        return this;
    }
}
