package kz.ehr.billing.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** One doctor in two places at once: a visit that starts before the doctor's previous visit ended. */
public final class OverlappingSlotsRule implements DoctorDayRule {
    public static final String ID = "DOCTOR_OVERLAPPING_SLOTS";
    static final Comparator<DoctorDay.Slot> ORDER = Comparator.comparing(DoctorDay.Slot::start).thenComparing(DoctorDay.Slot::visitKey);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(DoctorDay day, FraudPolicy policy) {
        Sweep sweep = new Sweep(day.doctorId(), policy);
        List<Finding> out = new ArrayList<>();
        day.visits().stream().sorted(ORDER).forEach(s -> sweep.next(s).ifPresent(out::add));
        return out;
    }

    /** The day's slots fed in (start, visitKey) order; remembers only until when the doctor is busy. */
    static final class Sweep {
        private final String doctorId;
        private final FraudPolicy policy;
        private Instant busyUntil;

        Sweep(String doctorId, FraudPolicy policy) {
            this.doctorId = doctorId;
            this.policy = policy;
        }

        Optional<Finding> next(DoctorDay.Slot s) {
            Instant end = policy.slotEnd(s.start(), s.end());
            Optional<Finding> out = Optional.empty();
            if (busyUntil != null && s.start().isBefore(busyUntil)) {
                out = Optional.of(new Finding(s.visitKey(), ID, "Doctor " + doctorId + " has a visit starting " + s.start()
                        + " while still busy with another visit until " + busyUntil + "."));
            }
            busyUntil = busyUntil == null || end.isAfter(busyUntil) ? end : busyUntil;
            return out;
        }
    }
}
