package kz.ehr.billing.projection;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import kz.ehr.billing.fraud.ScreenedVisit;

/**
 * What a batch touched: the persons and doctor-days whose visits must be (re-)screened, the person rows the
 * projection already holds in hand (as the batch left them) so that the monitor need not read them a second time,
 * and the visit rows the batch's upsert wrote, as stored (so that a prefetch of the committed state, read before
 * the batch wrote, can be completed without reading them back).
 */
public record Affected(Set<String> persons, Set<DoctorDayKey> doctorDays, Map<String, PersonFacts> knownPersons,
                       Map<String, VisitState> writtenVisits) {
    /** Doctor ids are the provider's own: a doctor-day is scoped to the polyclinic that booked it. */
    public record DoctorDayKey(String polyclinicBin, String doctorId, LocalDate date) {
    }

    /** The person columns the fraud rules read, equal to the stored row at the end of the projection step. */
    public record PersonFacts(String sex, LocalDate birthDate, LocalDate deathDate) {
    }

    /** A stored visit row with the two columns the monitor maintains. */
    public record VisitState(ScreenedVisit visit, boolean nearMark, boolean flagged) {
        public DoctorDayKey doctorDay() {
            return new DoctorDayKey(visit.polyclinicBin(), visit.doctorId(), visit.date());
        }
    }

    public static Affected empty() {
        return new Affected(new HashSet<>(), new HashSet<>(), new HashMap<>(), new HashMap<>());
    }

    public Affected add(Affected other) {
        // a later step may have changed these persons (an MPI link moves deaths, a golden record brings demographics):
        // what this step knew about them is stale, so the monitor reads them again
        knownPersons.keySet().removeAll(other.persons);
        knownPersons.putAll(other.knownPersons);
        persons.addAll(other.persons);
        doctorDays.addAll(other.doctorDays);
        // an MPI step writes no visit rows, it moves them: after one, writtenVisits no longer describe the stored rows
        // and a prefetch must not be completed from them (the ingest prefetches only for batches without links)
        writtenVisits.putAll(other.writtenVisits);
        return this;
    }
}
