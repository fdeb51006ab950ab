package kz.ehr.billing.fraud;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The doctor-day rules over a day too large to hold: its visit count and near-mark count are known beforehand (an
 * aggregate), its slots are fed one at a time in (start, visitKey) order. Gives the findings
 * {@link FraudScreen#screenDoctorDay} gives for the whole day, slot by slot, with the same reasons.
 */
public final class DoctorDaySweep {
    private final String capReason;
    private final String burstReason;
    private final OverlappingSlotsRule.Sweep overlaps;

    public DoctorDaySweep(String doctorId, LocalDate date, long visits, long nearMark, FraudPolicy policy) {
        this.capReason = DoctorDailyCapRule.reason(doctorId, date, visits, policy);
        this.burstReason = BurstBeforeMarkRule.reason(doctorId, date, nearMark, policy);
        this.overlaps = new OverlappingSlotsRule.Sweep(doctorId, policy);
    }

    /** The next slot, in (start, visitKey) order (not checked, as in {@link PersonScreening#next}). */
    public List<Finding> next(DoctorDay.Slot s) {
        List<Finding> out = new ArrayList<>(3);
        if (capReason != null) {
            out.add(new Finding(s.visitKey(), DoctorDailyCapRule.ID, capReason));
        }
        overlaps.next(s).ifPresent(out::add);
        if (burstReason != null && s.nearMark()) {
            out.add(new Finding(s.visitKey(), BurstBeforeMarkRule.ID, burstReason));
        }
        return out;
    }
}
