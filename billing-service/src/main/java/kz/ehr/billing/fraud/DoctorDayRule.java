package kz.ehr.billing.fraud;

import java.util.List;

/** A rule over one doctor's day; re-run whenever a visit of that day arrives or changes. */
public interface DoctorDayRule {
    String id();

    List<Finding> check(DoctorDay day, FraudPolicy policy);
}
