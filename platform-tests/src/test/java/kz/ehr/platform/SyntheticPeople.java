package kz.ehr.platform;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Small synthetic cohorts for the platform tests. The IIN check digit is computed here on purpose,
 * independently of the production code, so the tests do not trust what they test.
 */
final class SyntheticPeople {
    record Person(String localId, String iin, LocalDate birthDate, String sex) {
    }

    private SyntheticPeople() {
    }

    static List<Person> cohort(int size) {
        return cohort(size, UUID.randomUUID().toString().substring(0, 8));
    }

    /** The same people for the same {@code run}: two platforms fed the same input can be compared. */
    static List<Person> cohort(int size, String run) {
        List<Person> people = new ArrayList<>();
        for (int serial = 0; people.size() < size; serial++) {
            LocalDate birth = LocalDate.of(1950, 1, 1).plusDays((serial * 7919L) % 20_000);
            String sex = serial % 2 == 0 ? "M" : "F";
            // serials from a per-run random block so reruns against the same broker do not collide
            int block = Math.floorMod(run.hashCode(), 900) * 10;
            String stem = String.format("%02d%02d%02d%d%04d", birth.getYear() % 100, birth.getMonthValue(), birth.getDayOfMonth(),
                    sex.equals("M") ? 3 : 4, block + serial % 10);
            int check = checkDigit(stem);
            if (check >= 0) {
                people.add(new Person("F-" + run + "-" + serial, stem + check, birth, sex));
            }
        }
        return people;
    }

    static int checkDigit(String stem) {
        int r = 0;
        for (int i = 0; i < 11; i++) {
            r += (stem.charAt(i) - '0') * (i + 1);
        }
        r %= 11;
        if (r == 10) {
            r = 0;
            for (int i = 0; i < 11; i++) {
                r += (stem.charAt(i) - '0') * ((i + 2) % 11 + 1);
            }
            r %= 11;
        }
        return r == 10 ? -1 : r;
    }

    static String patientRecord(Person p) {
        return """
                {"recordId":"pat-%s","type":"PATIENT","occurredAt":"2025-01-10T10:00:00+05:00","patient":{"localId":"%s","iin":"%s","lastName":"Сейтқали","firstName":"Арман","birthDate":"%s","sex":"%s"}}"""
                .formatted(p.localId(), p.localId(), p.iin(), p.birthDate(), p.sex());
    }

    /** Attached to a polyclinic since 2024 (a line in every later capitation statement). */
    static String attachmentRecord(Person p, String polyclinicBin) {
        return """
                {"recordId":"att-%s","type":"ATTACHMENT","occurredAt":"2024-01-01T10:00:00+05:00","patient":{"localId":"%s","iin":"%s","birthDate":"%s","sex":"%s"},"attachment":{"polyclinicBin":"%s","region":"ALMATY","from":"2024-01-01","to":null}}"""
                .formatted(p.localId(), p.localId(), p.iin(), p.birthDate(), p.sex(), polyclinicBin);
    }

    /** A death (only from a provider named in EHR_DEATH_SENDERS): revokes every certificate of the person. */
    static String deathRecord(Person p) {
        return """
                {"recordId":"death-%s","type":"DEATH","occurredAt":"2025-03-05T10:00:00+05:00","patient":{"localId":"%s","iin":"%s","birthDate":"%s","sex":"%s"},"death":{"date":"2025-03-05"}}"""
                .formatted(p.localId(), p.localId(), p.iin(), p.birthDate(), p.sex());
    }

    static String visitRecord(Person p) {
        return """
                {"recordId":"enc-%s","type":"ENCOUNTER","occurredAt":"2025-02-11T09:30:00+05:00","patient":{"localId":"%s","iin":"%s","birthDate":"%s","sex":"%s"},"encounter":{"encounterId":"E-%s","polyclinicBin":"100140000013","doctorId":"D-3","start":"2025-02-11T09:30:00+05:00","end":"2025-02-11T09:45:00+05:00","kind":"VISIT","diagnoses":["I10"]}}"""
                .formatted(p.localId(), p.localId(), p.iin(), p.birthDate(), p.sex(), p.localId());
    }
}
