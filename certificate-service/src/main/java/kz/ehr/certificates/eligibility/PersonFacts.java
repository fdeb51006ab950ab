package kz.ehr.certificates.eligibility;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** What the record says about one person, as far as certificates care. Built from the event projection. */
public record PersonFacts(String iin, String lastName, String firstName, String middleName, LocalDate birthDate,
                          String sex, LocalDate deathDate, List<Exam> exams, List<Registration> registrations,
                          List<Immunization> immunizations, List<Observation> observations,
                          List<Attachment> attachments, List<Encounter> encounters,
                          List<Hospitalization> hospitalizations, int eventCount) {

    public record Exam(String purpose, String conclusion, LocalDate date, String doctorId, String facilityBin) {
    }

    public record Registration(DispensaryRegister register, boolean registered, LocalDate date) {
    }

    public record Immunization(String vaccine, Integer dose, LocalDate date) {
    }

    public record Observation(String code, String value, LocalDate date) {
    }

    public record Attachment(String polyclinicBin, LocalDate from, LocalDate to) {
    }

    public record Encounter(LocalDate date, String kind, List<String> diagnoses) {
    }

    public record Hospitalization(String facilityBin, LocalDate admitted, LocalDate discharged) {
    }

    public String fullName() {
        StringBuilder b = new StringBuilder();
        for (String part : new String[] {lastName, firstName, middleName}) {
            if (part != null && !part.isBlank()) {
                b.append(b.isEmpty() ? "" : " ").append(part.trim());
            }
        }
        return b.toString();
    }

    public static Builder builder(String iin) {
        return new Builder(iin);
    }

    /** Accumulates facts in any order; later demographics overwrite earlier ones. */
    public static final class Builder {
        private final String iin;
        private String lastName;
        private String firstName;
        private String middleName;
        private LocalDate birthDate;
        private String sex;
        private LocalDate deathDate;
        private final List<Exam> exams = new ArrayList<>();
        private final List<Registration> registrations = new ArrayList<>();
        private final List<Immunization> immunizations = new ArrayList<>();
        private final List<Observation> observations = new ArrayList<>();
        private final List<Attachment> attachments = new ArrayList<>();
        private final List<Encounter> encounters = new ArrayList<>();
        private final List<Hospitalization> hospitalizations = new ArrayList<>();
        private int eventCount;

        private Builder(String iin) {
            this.iin = iin;
        }

        public Builder name(String last, String first, String middle) {
            if (last != null) {
                lastName = last;
                firstName = first;
                middleName = middle;
            }
            return this;
        }

        public Builder birth(LocalDate date, String sex) {
            if (date != null) {
                birthDate = date;
            }
            if (sex != null) {
                this.sex = sex;
            }
            return this;
        }

        public Builder died(LocalDate date) {
            deathDate = date;
            return this;
        }

        public Builder exam(String purpose, String conclusion, LocalDate date, String doctorId, String facilityBin) {
            exams.add(new Exam(purpose, conclusion, date, doctorId, facilityBin));
            return this;
        }

        public Builder registration(DispensaryRegister register, boolean registered, LocalDate date) {
            registrations.add(new Registration(register, registered, date));
            return this;
        }

        public Builder immunization(String vaccine, Integer dose, LocalDate date) {
            immunizations.add(new Immunization(vaccine, dose, date));
            return this;
        }

        public Builder observation(String code, String value, LocalDate date) {
            observations.add(new Observation(code, value, date));
            return this;
        }

        public Builder attachment(String bin, LocalDate from, LocalDate to) {
            attachments.add(new Attachment(bin, from, to));
            return this;
        }

        public Builder encounter(LocalDate date, String kind, List<String> diagnoses) {
            encounters.add(new Encounter(date, kind, List.copyOf(diagnoses)));
            return this;
        }

        public Builder hospitalization(String bin, LocalDate admitted, LocalDate discharged) {
            hospitalizations.add(new Hospitalization(bin, admitted, discharged));
            return this;
        }

        public Builder counted() {
            eventCount++;
            return this;
        }

        public PersonFacts build() {
            return new PersonFacts(iin, lastName, firstName, middleName, birthDate, sex, deathDate, List.copyOf(exams),
                    List.copyOf(registrations), List.copyOf(immunizations), List.copyOf(observations),
                    List.copyOf(attachments), List.copyOf(encounters), List.copyOf(hospitalizations), eventCount);
        }
    }
}
