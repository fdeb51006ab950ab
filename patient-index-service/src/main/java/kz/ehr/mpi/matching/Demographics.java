package kz.ehr.mpi.matching;

import java.time.LocalDate;

/** Identity data of one source record, as submitted. Any field may be null. */
public record Demographics(String iin, String lastName, String firstName, String middleName, LocalDate birthDate,
                           String sex, String phone, String address) {
}
