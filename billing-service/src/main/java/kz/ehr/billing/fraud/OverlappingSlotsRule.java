package kz.ehr.billing.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One doctor in two places at once: a visit that starts before the doctor's previous visit ended. */
public final class OverlappingSlotsRule implements DoctorDayRule {
    public static final String ID = "DOCTOR_OVERLAPPING_SLOTS";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(DoctorDay day, FraudPolicy policy) {
        List<DoctorDay.Slot> slots = day.visits().stream()
                .sorted(Comparator.comparing(DoctorDay.Slot::start).thenComparing(DoctorDay.Slot::visitKey)).toList();
        List<Finding> out = new ArrayList<>();
        Instant busyUntil = null;
        for (DoctorDay.Slot s : slots) {
            Instant end = s.end() != null && s.end().isAfter(s.start()) ? s.end() : s.start().plusSeconds(60L * policy.defaultSlotMinutes());
            if (busyUntil != null && s.start().isBefore(busyUntil)) {
                out.add(new Finding(s.visitKey(), ID, "Doctor " + day.doctorId() + " has a visit starting " + s.start()
                        + " while still busy with another visit until " + busyUntil + "."));
            }
            busyUntil = busyUntil == null || end.isAfter(busyUntil) ? end : busyUntil;
        }
        return out;
    }
}
