package kz.ehr.mpi.matching;

import java.time.LocalDate;

/**
 * Identity data of one source record, as submitted. Any field may be null. {@code motherIin} is set on a newborn
 * recorded before it has an IIN of its own (API.md): it names the mother, never the newborn.
 */
public record Demographics(String iin, String lastName, String firstName, String middleName, LocalDate birthDate,
                           String sex, String phone, String address, String motherIin) {

    /** Demographics of a record that names no mother (a golden record never does). */
    public Demographics(String iin, String lastName, String firstName, String middleName, LocalDate birthDate, String sex,
                        String phone, String address) {
        this(iin, lastName, firstName, middleName, birthDate, sex, phone, address, null);
    }
}
