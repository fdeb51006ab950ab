package kz.ehr.billing.fraud;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import kz.ehr.screening.ScreeningProgramme;

/**
 * Thresholds of the fraud monitor.
 *
 * @param dailyCap            visits per doctor per day above which every visit of that day is flagged (default 40)
 * @param defaultSlotMinutes  length assumed for a visit without an end time when checking overlaps
 * @param burstThreshold      near-mark visits by one doctor in one day that make a burst
 * @param nearMarkFromMonths  a patient unseen for at least this many months (and less than the 12-month mark) is "near the mark"
 * @param markMonths          the visit-penalty horizon (12)
 * @param ghostPatients       whether {@link GhostPatientRule} runs (billing.fraud.ghost-patients)
 */
public record FraudPolicy(int dailyCap, int defaultSlotMinutes, int burstThreshold, int nearMarkFromMonths,
                          int markMonths, List<ScreeningProgramme> programmes, boolean ghostPatients) {

    /** DOMAIN.md's screening programmes: the shared table ({@link ScreeningProgramme#DOMAIN}). */
    public static List<ScreeningProgramme> domainProgrammes() {
        return ScreeningProgramme.DOMAIN;
    }

    public static FraudPolicy defaults() {
        return new FraudPolicy(40, 15, 10, 11, 12, domainProgrammes(), false);
    }

    /** The same thresholds with GHOST_PATIENT on or off. */
    public FraudPolicy withGhostPatients(boolean on) {
        return new FraudPolicy(dailyCap, defaultSlotMinutes, burstThreshold, nearMarkFromMonths, markMonths, programmes, on);
    }

    /** When a visit ends for the overlap rules: its end, or {@code defaultSlotMinutes} after its start without one (or with one not after it). */
    public java.time.Instant slotEnd(java.time.Instant start, java.time.Instant end) {
        return end != null && end.isAfter(start) ? end : start.plusSeconds(60L * defaultSlotMinutes);
    }

    /** The target group and interval of a screening in force on a date (latest effective version). */
    public Optional<ScreeningProgramme> programme(String screening, LocalDate on) {
        return ScreeningProgramme.inForce(programmes, screening, on);
    }
}
