package kz.ehr.billing.fraud;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import kz.ehr.billing.capitation.PersonHistory;

/**
 * Everything person-scoped rules read: demographics, death, attachments, hospital stays, all their visits, and what
 * else shows that the person exists ({@link Evidence}, for {@link GhostPatientRule}).
 */
public record PersonContext(String personKey, String sex, LocalDate birthDate, LocalDate deathDate,
                            List<PersonHistory.Attachment> attachments, List<HospitalStay> stays,
                            List<ScreenedVisit> visits, Evidence evidence) {
    /**
     * @param insuranceOnRecord an ОСМС record (insured or not) of the person exists
     * @param visitPolyclinics  every polyclinic with a visit of the person
     */
    public record Evidence(boolean insuranceOnRecord, Set<String> visitPolyclinics) {
        /** Nothing read: the person counts as shown by others (no ghost finding). */
        public static final Evidence UNREAD = new Evidence(true, Set.of());
    }

    /** Without evidence read: as {@link Evidence#UNREAD}. */
    public PersonContext(String personKey, String sex, LocalDate birthDate, LocalDate deathDate,
                         List<PersonHistory.Attachment> attachments, List<HospitalStay> stays, List<ScreenedVisit> visits) {
        this(personKey, sex, birthDate, deathDate, attachments, stays, visits, Evidence.UNREAD);
    }

    public PersonHistory asHistory() {
        return new PersonHistory(personKey, sex, birthDate, deathDate, attachments, List.of(), List.of());
    }
}
