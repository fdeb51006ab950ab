package kz.ehr.simulator.population;

import java.time.LocalDate;

/** One true person of the synthetic population (the ground truth every provider's view is derived from). */
public final class Person {
    public final long index;
    public final String personId;
    public final String iin;
    public final Sex sex;
    public final LocalDate birthDate;
    public final String lastName;
    /** Surname before marriage when it differs from {@link #lastName}; null otherwise. */
    public final String maidenName;
    public final String firstName;
    public final String middleName;
    public final Names.Ethnicity ethnicity;
    public final Household household;
    public final String phone;
    /** Date of death inside the simulated window, or null. */
    public final LocalDate deathDate;
    /** True when a twin of this person lives in the same household. */
    public final boolean twin;

    Person(long index, String iin, Sex sex, LocalDate birthDate, String lastName, String maidenName, String firstName,
           String middleName, Names.Ethnicity ethnicity, Household household, String phone, LocalDate deathDate, boolean twin) {
        this.index = index;
        this.personId = personId(index);
        this.iin = iin;
        this.sex = sex;
        this.birthDate = birthDate;
        this.lastName = lastName;
        this.maidenName = maidenName;
        this.firstName = firstName;
        this.middleName = middleName;
        this.ethnicity = ethnicity;
        this.household = household;
        this.phone = phone;
        this.deathDate = deathDate;
        this.twin = twin;
    }

    /**
     * A person nobody else has on record: an identity a polyclinic made up (labelled fraud), given an address of the
     * polyclinic's area. Not part of the true population.
     */
    public static Person invented(long index, String iin, Sex sex, LocalDate birthDate, String lastName, String firstName,
                                  String middleName, Names.Ethnicity ethnicity, Household household) {
        return new Person(index, iin, sex, birthDate, lastName, null, firstName, middleName, ethnicity, household, null, null, false);
    }

    public static String personId(long index) {
        return String.format("P%09d", index);
    }

    public int ageOn(LocalDate date) {
        return java.time.Period.between(birthDate, date).getYears();
    }

    public boolean aliveOn(LocalDate date) {
        return !date.isBefore(birthDate) && (deathDate == null || !date.isAfter(deathDate));
    }
}
