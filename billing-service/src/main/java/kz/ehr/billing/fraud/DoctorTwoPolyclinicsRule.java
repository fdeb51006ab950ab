package kz.ehr.billing.fraud;

import java.time.Instant;
import java.time.LocalDate;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import kz.ehr.identity.Iin;

/**
 * One doctor at two polyclinics at once: a visit at one polyclinic that starts while the same doctor is still busy with a
 * visit at another polyclinic. Only a doctor id that is a national identifier (the practitioner's IIN) names the same
 * person at two polyclinics; a provider's own doctor ids ({@code DR1}) are compared within the polyclinic only
 * ({@link OverlappingSlotsRule}). The later-starting visit is flagged.
 */
public final class DoctorTwoPolyclinicsRule {
    public static final String ID = "DOCTOR_TWO_POLYCLINICS";

    private DoctorTwoPolyclinicsRule() {
    }

    /** A doctor id that is the practitioner's IIN: the same doctor wherever it appears. */
    public static boolean isNational(String doctorId) {
        return doctorId != null && Iin.isValid(doctorId);
    }

    /** One visit of the doctor's day, at whichever polyclinic. */
    public record Slot(String visitKey, String polyclinicBin, Instant start, Instant end) {
    }

    /** All the doctor's slots of the day, any polyclinic, in any order. */
    public static List<Finding> check(String doctorId, LocalDate date, List<Slot> slots, FraudPolicy policy) {
        Sweep sweep = new Sweep(doctorId, policy);
        return slots.stream().sorted(java.util.Comparator.comparing(Slot::start).thenComparing(Slot::visitKey))
                .map(sweep::next).flatMap(Optional::stream).toList();
    }

    /** The day's slots fed in (start, visitKey) order; remembers until when the doctor is busy at each polyclinic. */
    public static final class Sweep {
        private final String doctorId;
        private final FraudPolicy policy;
        private final Map<String, Instant> busyUntil = new TreeMap<>();

        public Sweep(String doctorId, FraudPolicy policy) {
            this.doctorId = doctorId;
            this.policy = policy;
        }

        public Optional<Finding> next(Slot s) {
            Instant end = policy.slotEnd(s.start(), s.end());
            Optional<Finding> out = Optional.empty();
            for (Map.Entry<String, Instant> busy : busyUntil.entrySet()) {
                if (!busy.getKey().equals(s.polyclinicBin()) && s.start().isBefore(busy.getValue())) {
                    out = Optional.of(new Finding(s.visitKey(), ID, "Doctor " + doctorId + " has a visit at polyclinic " + s.polyclinicBin()
                            + " starting " + s.start() + " while still busy at polyclinic " + busy.getKey() + " until " + busy.getValue() + "."));
                    break;
                }
            }
            busyUntil.merge(s.polyclinicBin(), end, (a, b) -> a.isAfter(b) ? a : b);
            return out;
        }
    }
}
