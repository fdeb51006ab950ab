package kz.ehr.simulator.population;

/** Provider record types of API.md; the type-specific JSON block is named after the type in lower camel case. */
public enum RecordType {
    PATIENT, ATTACHMENT, INSURANCE, ENCOUNTER, OBSERVATION, IMMUNIZATION, EXAM, DISPENSARY, HOSPITALIZATION, DEATH;

    public String blockName() {
        return this == PATIENT ? null : name().toLowerCase();
    }
}
