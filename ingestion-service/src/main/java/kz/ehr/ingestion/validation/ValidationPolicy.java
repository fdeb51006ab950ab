package kz.ehr.ingestion.validation;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The clock and tolerances a record is judged against.
 *
 * @param now       the moment of ingestion
 * @param zone      where calendar dates are "today" (Kazakhstan is one zone, UTC+5, since 2024)
 * @param clockSkew how far an instant may lie in the future before it counts as a future date (MIS clocks drift)
 */
public record ValidationPolicy(Instant now, ZoneId zone, Duration clockSkew) {

    public static ValidationPolicy at(Instant now) {
        return new ValidationPolicy(now, ZoneId.of("Asia/Almaty"), Duration.ofMinutes(5));
    }

    LocalDate today() {
        return LocalDate.ofInstant(now.plus(clockSkew), zone);
    }

    LocalDate dateOf(Instant instant) {
        return LocalDate.ofInstant(instant, zone);
    }
}
