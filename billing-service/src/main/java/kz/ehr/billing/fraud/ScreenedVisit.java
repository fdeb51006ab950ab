package kz.ehr.billing.fraud;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** An encounter as the fraud monitor sees it; {@code visitKey} is provider:recordId, stable across resubmissions. */
public record ScreenedVisit(String visitKey, String personKey, String polyclinicBin, String doctorId, Instant start,
                            Instant end, LocalDate date, String kind, String screening, List<String> services,
                            boolean referral) {
}
