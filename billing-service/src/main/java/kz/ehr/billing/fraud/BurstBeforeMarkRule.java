package kz.ehr.billing.fraud;

import java.time.LocalDate;
import java.util.List;

/** Many first visits in one day to patients unseen for almost 12 months: gaming the 80% rule just before the mark. */
public final class BurstBeforeMarkRule implements DoctorDayRule {
    public static final String ID = "BURST_BEFORE_12_MONTH_MARK";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(DoctorDay day, FraudPolicy policy) {
        List<DoctorDay.Slot> nearMark = day.visits().stream().filter(DoctorDay.Slot::nearMark).toList();
        String reason = reason(day.doctorId(), day.date(), nearMark.size(), policy);
        return reason == null ? List.of() : nearMark.stream().map(s -> new Finding(s.visitKey(), ID, reason)).toList();
    }

    /** The reason each near-mark visit of a day with {@code nearMark} of them gets, or null when that is no burst. */
    static String reason(String doctorId, LocalDate date, long nearMark, FraudPolicy policy) {
        if (nearMark < policy.burstThreshold()) {
            return null;
        }
        return "Doctor " + doctorId + " saw " + nearMark + " patients on " + date + " who had been unseen for "
                + policy.nearMarkFromMonths() + "–" + policy.markMonths() + " months, just before their " + policy.markMonths()
                + "-month mark (burst threshold " + policy.burstThreshold() + ").";
    }
}
