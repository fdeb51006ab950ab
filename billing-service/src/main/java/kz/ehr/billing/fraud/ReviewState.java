package kz.ehr.billing.fraud;

/** OPEN, CONFIRMED and DISMISSED are DOMAIN.md's review states; WITHDRAWN is set by the monitor itself when a later fact removes the cause of an open flag. */
public enum ReviewState {
    OPEN, CONFIRMED, DISMISSED, WITHDRAWN;

    /** Whether a flag in this state keeps its visit from counting for capitation. */
    public boolean holdsVisit() {
        return this == OPEN || this == CONFIRMED;
    }
}
