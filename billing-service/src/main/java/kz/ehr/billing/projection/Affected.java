package kz.ehr.billing.projection;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;

/** What a batch touched: the persons and doctor-days whose visits must be (re-)screened. */
public record Affected(Set<String> persons, Set<DoctorDayKey> doctorDays) {
    /** Doctor ids are the provider's own: a doctor-day is scoped to the polyclinic that booked it. */
    public record DoctorDayKey(String polyclinicBin, String doctorId, LocalDate date) {
    }

    public static Affected empty() {
        return new Affected(new HashSet<>(), new HashSet<>());
    }

    public Affected add(Affected other) {
        persons.addAll(other.persons);
        doctorDays.addAll(other.doctorDays);
        return this;
    }
}
