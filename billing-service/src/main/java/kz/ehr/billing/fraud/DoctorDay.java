package kz.ehr.billing.fraud;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** All visits one doctor booked on one day, for the per-doctor rules. */
public record DoctorDay(String doctorId, LocalDate date, List<Slot> visits) {
    /** @param nearMark the patient was long unseen and close to the 12-month mark at this visit */
    public record Slot(String visitKey, Instant start, Instant end, boolean nearMark) {
    }
}
