package kz.ehr.simulator.corruption;

import java.util.Set;

/** A person as one provider holds them: its local id and demographics, possibly wrong, plus which errors were applied. */
public record SourcePatient(String providerId, String localId, String personId, String iin, String lastName, String firstName,
                            String middleName, String birthDate, String sex, String phone, String address,
                            Set<Corruption> applied) {
}
