package kz.ehr.billing.fraud;

import java.util.List;

/** More visits per doctor per day than the cap (one doctor "saw" 1,442 patients in a day; norm ≈ 24): the whole day goes to review. */
public final class DoctorDailyCapRule implements DoctorDayRule {
    public static final String ID = "DOCTOR_DAILY_CAP";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Finding> check(DoctorDay day, FraudPolicy policy) {
        int n = day.visits().size();
        if (n <= policy.dailyCap()) {
            return List.of();
        }
        String reason = "Doctor " + day.doctorId() + " booked " + n + " visits on " + day.date() + ", above the cap of "
                + policy.dailyCap() + " per day.";
        return day.visits().stream().map(s -> new Finding(s.visitKey(), ID, reason)).toList();
    }
}
