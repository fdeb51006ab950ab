package kz.ehr.billing.fraud;

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
        if (nearMark.size() < policy.burstThreshold()) {
            return List.of();
        }
        String reason = "Doctor " + day.doctorId() + " saw " + nearMark.size() + " patients on " + day.date() + " who had been unseen for "
                + policy.nearMarkFromMonths() + "–" + policy.markMonths() + " months, just before their " + policy.markMonths()
                + "-month mark (burst threshold " + policy.burstThreshold() + ").";
        return nearMark.stream().map(s -> new Finding(s.visitKey(), ID, reason)).toList();
    }
}
