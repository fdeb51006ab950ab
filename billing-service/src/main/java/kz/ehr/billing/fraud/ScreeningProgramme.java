package kz.ehr.billing.fraud;

import java.time.LocalDate;

/** A screening's target group (DOMAIN.md "Screening programmes"); sex null means both. Dated configuration. */
public record ScreeningProgramme(String screening, String sex, int minAge, int maxAge, LocalDate effectiveFrom) {
    public boolean targets(String personSex, int age) {
        return (sex == null || sex.equals(personSex)) && age >= minAge && age <= maxAge;
    }
}
