package kz.ehr.billing.capitation;

import java.time.LocalDate;

/**
 * What the formula needs to know about one person attached to one polyclinic on the billing date.
 *
 * @param insured          ОСМС status on the billing date; null when billing has no insurance fact
 * @param lastCountedVisit latest visit on or before the billing date that counts (right kind, not flagged)
 * @param lastFlaggedVisit latest visit on or before the billing date that would count but is held by an open
 *                         or confirmed fraud flag
 */
public record CapitationInput(String personKey, String polyclinicBin, String region, LocalDate attachedSince,
                              String sex, LocalDate birthDate, LocalDate deathDate, Boolean insured,
                              LocalDate lastCountedVisit, LocalDate lastFlaggedVisit) {
}
