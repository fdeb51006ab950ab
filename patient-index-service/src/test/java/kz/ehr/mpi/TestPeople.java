package kz.ehr.mpi;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.Topics;
import kz.ehr.identity.Iin;
import kz.ehr.testsupport.TestKafka;

/** Unique synthetic people for integration tests, so tests sharing one database never match each other. */
public final class TestPeople {
    private static final String[] SYLLABLES = {"ка", "ра", "бе", "ну", "сы", "та", "жа", "му", "ле", "до", "за", "ки", "ло", "ми", "со"};

    private TestPeople() {
    }

    public record Person(String iin, String lastName, String firstName, String middleName, LocalDate birthDate, String sex) {
    }

    public static Person random(String sex) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (true) {
            LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(r.nextInt(365 * 65));
            String iin = iin(birth, sex, r.nextInt(10_000));
            if (iin != null) {
                String stem = word(r, 3);
                return new Person(iin, stem + ("M".equals(sex) ? "ов" : "ова"), word(r, 2) + "н", word(r, 2) + ("M".equals(sex) ? "ович" : "овна"),
                        birth, sex);
            }
        }
    }

    private static String word(ThreadLocalRandom r, int syllables) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < syllables; i++) {
            sb.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
        }
        return Character.toUpperCase(sb.charAt(0)) + sb.substring(1);
    }

    /** A valid IIN for the birth date and sex with the given serial, or null when that serial can never be issued. */
    public static String iin(LocalDate birth, String sex, int serial) {
        int centuryDigit = (birth.getYear() >= 2000 ? 5 : 3) + ("F".equals(sex) ? 1 : 0);
        String stem = String.format("%02d%02d%02d%d%04d", birth.getYear() % 100, birth.getMonthValue(), birth.getDayOfMonth(),
                centuryDigit, serial);
        for (int check = 0; check <= 9; check++) {
            if (Iin.isValid(stem + check)) {
                return stem + check;
            }
        }
        return null;
    }

    public static HealthRecordEvent patientEvent(String providerId, String localId, String iin, String lastName, String firstName,
                                                 String middleName, LocalDate birthDate, String sex, String phone) {
        String eventId = UUID.randomUUID().toString();
        return HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(eventId, "PATIENT", providerId, "rec-" + localId, Instant.now(), Instant.now(), null))
                .setRecordType("PATIENT")
                .setPatient(PatientInfo.newBuilder().setLocalId(localId).setIin(iin)
                        .setIinStatus(iin == null ? "MISSING" : Iin.isValid(iin) ? "VALID" : "INVALID")
                        .setLastName(lastName).setFirstName(firstName).setMiddleName(middleName).setBirthDate(birthDate)
                        .setSex(sex).setPhone(phone).build())
                .setWarnings(List.of())
                .build();
    }

    public static void send(HealthRecordEvent e) {
        String key = e.getPatient().getIin() != null ? e.getPatient().getIin()
                : e.getEnvelope().getProviderId() + ":" + e.getPatient().getLocalId();
        TestKafka.send(Topics.PATIENTS.topic, key, e);
    }
}
