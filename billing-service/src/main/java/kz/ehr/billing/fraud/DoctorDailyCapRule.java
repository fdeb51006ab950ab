package kz.ehr.billing.fraud;

import java.time.LocalDate;
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
        String reason = reason(day.doctorId(), day.date(), day.visits().size(), policy);
        return reason == null ? List.of() : day.visits().stream().map(s -> new Finding(s.visitKey(), ID, reason)).toList();
    }

    /** The reason every visit of a day of {@code visits} visits gets, or null when the day is within the cap. */
    static String reason(String doctorId, LocalDate date, long visits, FraudPolicy policy) {
        if (visits <= policy.dailyCap()) {
            return null;
        }
        return "Doctor " + doctorId + " booked " + visits + " visits on " + date + ", above the cap of " + policy.dailyCap() + " per day.";
    }
}
