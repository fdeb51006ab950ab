package kz.ehr.billing.fraud;

import java.time.LocalDate;
import java.util.List;

import kz.ehr.billing.capitation.PersonHistory;

/** Everything person-scoped rules read: demographics, death, attachments, hospital stays and all their visits. */
public record PersonContext(String personKey, String sex, LocalDate birthDate, LocalDate deathDate,
                            List<PersonHistory.Attachment> attachments, List<HospitalStay> stays,
                            List<ScreenedVisit> visits) {
    public PersonHistory asHistory() {
        return new PersonHistory(personKey, sex, birthDate, deathDate, attachments, List.of(), List.of());
    }
}
