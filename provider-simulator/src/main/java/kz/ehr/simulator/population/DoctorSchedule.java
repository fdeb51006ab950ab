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
        return bookFrom(doctorId, day, 0, r);
    }

    /** A free slot later than {@code after} on its day (a second booking comes after the first), or null. */
    public OffsetDateTime bookAfter(String doctorId, OffsetDateTime after, RandomGenerator r) {
        int first = (after.getHour() - 8) * 4 + after.getMinute() / 15 + 1;
        return bookFrom(doctorId, after.toLocalDate(), Math.max(0, first), r);
    }

    /**
     * The start of a slot the doctor has booked on that day whose next slot is free, which is then reserved so that no
     * later booking follows it: a visit elsewhere starting inside the returned slot overlaps only that one. Null when
     * the doctor has no such slot that day.
     */
    public OffsetDateTime bookedWithFreeNext(String doctorId, LocalDate day, RandomGenerator r) {
        String key = doctorId + day.toEpochDay();
        long used = booked.getOrDefault(key, 0L);
        if (used == 0 || Long.bitCount(used) >= MAX_PER_DAY) {
            return null;
        }
        int start = r.nextInt(SLOTS - 1);
        for (int i = 0; i < SLOTS - 1; i++) {
            int slot = (start + i) % (SLOTS - 1);
            if ((used & (1L << slot)) != 0 && (used & (1L << (slot + 1))) == 0) {
                booked.put(key, used | (1L << (slot + 1)));
                return TimelineGenerator.at(day, 8 + slot / 4, (slot % 4) * 15);
            }
        }
        return null;
    }

    private OffsetDateTime bookFrom(String doctorId, LocalDate day, int firstSlot, RandomGenerator r) {
        String key = doctorId + day.toEpochDay();
        long used = booked.getOrDefault(key, 0L);
        if (Long.bitCount(used) >= MAX_PER_DAY || firstSlot >= SLOTS) {
            return null;
        }
        int start = firstSlot + r.nextInt(SLOTS - firstSlot);
        for (int i = 0; i < SLOTS - firstSlot; i++) {
            int slot = firstSlot + (start - firstSlot + i) % (SLOTS - firstSlot);
            if ((used & (1L << slot)) == 0) {
                booked.put(key, used | (1L << slot));
                return TimelineGenerator.at(day, 8 + slot / 4, (slot % 4) * 15);
            }
        }
        return null;
    }
}
