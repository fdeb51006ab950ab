package kz.ehr.billing.fraud;

import java.time.Instant;

/** A 24-hour hospital stay; {@code dischargedAt} null means still admitted. */
public record HospitalStay(String facilityBin, Instant admittedAt, Instant dischargedAt) {
    boolean covers(Instant t) {
        return !t.isBefore(admittedAt) && (dischargedAt == null || !t.isAfter(dischargedAt));
    }
}
