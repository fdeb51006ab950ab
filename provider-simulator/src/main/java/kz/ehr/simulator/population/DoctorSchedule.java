package kz.ehr.simulator.population;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Fifteen-minute appointment slots 08:00–20:00 per doctor and day, at most {@value #MAX_PER_DAY} booked, so genuine
 * visits never overlap nor exceed a plausible day (both are fraud-monitor rules). Memory grows with the doctor-days
 * that have bookings (≈ 50 MB at 1 M persons).
 */
public final class DoctorSchedule {
    static final int SLOTS = 48;
    /** A genuine doctor sees at most this many people a day (the norm is ≈ 24; the monitor alerts above 40). */
    static final int MAX_PER_DAY = 36;
    private final Map<String, Long> booked = new HashMap<>();

    /** A free slot's start on that day, or null when the doctor's day is full. */
    public OffsetDateTime book(String doctorId, LocalDate day, RandomGenerator r) {
        String key = doctorId + day.toEpochDay();
        long used = booked.getOrDefault(key, 0L);
        if (Long.bitCount(used) >= MAX_PER_DAY) {
            return null;
        }
        int slot = r.nextInt(SLOTS);
        while ((used & (1L << slot)) != 0) {
            slot = (slot + 1) % SLOTS;
        }
        booked.put(key, used | (1L << slot));
        return TimelineGenerator.at(day, 8 + slot / 4, (slot % 4) * 15);
    }
}
