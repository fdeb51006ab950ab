package kz.ehr.certificates;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import kz.ehr.events.Death;
import kz.ehr.events.Dispensary;
import kz.ehr.events.Envelopes;
import kz.ehr.events.Exam;
import kz.ehr.events.GoldenRecord;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.Observation;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.SourceRef;
import kz.ehr.events.Topics;
import kz.ehr.testsupport.TestKafka;

/** Health-record and MPI events as ingestion and the patient index publish them, sent to the test broker. */
public final class Records {
    public static final ZoneId ZONE = ZoneId.of("Asia/Almaty");

    private Records() {
    }

    public static LocalDate today() {
        return LocalDate.now(ZONE);
    }

    /** A random valid IIN of a man born in the 1980s, so tests never share a person. */
    public static String newIin() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (true) {
            String stem = "%02d%02d%02d3%04d".formatted(80 + r.nextInt(10), 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(10000));
            int[] d = stem.chars().map(c -> c - '0').toArray();
            int s = 0;
            for (int i = 0; i < 11; i++) {
                s += d[i] * (i + 1);
            }
            int check = s % 11;
            if (check == 10) {
                int[] w = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
                s = 0;
                for (int i = 0; i < 11; i++) {
                    s += d[i] * w[i];
                }
                check = s % 11;
            }
            if (check != 10) {
                return stem + check;
            }
        }
    }

    public static HealthRecordEvent.Builder event(String type, String provider, String localId, String iin) {
        return HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(UUID.randomUUID().toString(), type, provider, type.toLowerCase() + "-" + UUID.randomUUID(),
                        Instant.now(), Instant.now(), null))
                .setRecordType(type)
                .setPatient(PatientInfo.newBuilder().setLocalId(localId).setIin(iin).setIinStatus("VALID")
                        .setLastName("Ахметов").setFirstName("Ерлан").setMiddleName("Серикович")
                        .setBirthDate(LocalDate.of(1985, 3, 15)).setSex("M").build());
    }

    public static void patient(String iin) {
        send(Topics.PATIENTS, iin, event("PATIENT", "damumed", "P-" + iin, iin).build());
    }

    public static void exam(String iin, String purpose, String conclusion, LocalDate date) {
        send(Topics.CARE, iin, event("EXAM", "damumed", "P-" + iin, iin)
                .setExam(Exam.newBuilder().setPurpose(purpose).setConclusion(conclusion).setDate(date)
                        .setDoctorId("D-17").setFacilityBin("990340000013").build()).build());
    }

    public static void fluorography(String iin, LocalDate date) {
        fluorography(iin, date, "NORMAL");
    }

    public static void fluorography(String iin, LocalDate date, String value) {
        send(Topics.CARE, iin, event("OBSERVATION", "damumed", "P-" + iin, iin)
                .setObservation(Observation.newBuilder().setCode("FLUOROGRAPHY").setValue(value)
                        .setEffectiveAt(date.atStartOfDay(ZONE).plusHours(10).toInstant()).build()).build());
    }

    public static void dispensary(String iin, String register, String status, LocalDate date) {
        send(Topics.REGISTRY, iin, event("DISPENSARY", "damumed", "P-" + iin, iin)
                .setDispensary(Dispensary.newBuilder().setRegister(register).setStatus(status).setDate(date).build()).build());
    }

    public static void death(String iin, LocalDate date) {
        send(Topics.REGISTRY, iin, event("DEATH", "damumed", "P-" + iin, iin)
                .setDeath(Death.newBuilder().setDate(date).build()).build());
    }

    public static void send(Topics topic, String key, HealthRecordEvent e) {
        TestKafka.send(topic.topic, key, e);
    }

    public static void merged(String enterpriseId, String goldenIin, List<SourceRef> sources) {
        link("MERGED", enterpriseId, enterpriseId + "-old", goldenIin, sources);
    }

    /** An mpi.links.v1 event of the given type, keyed by the enterprise id as the patient index keys them; its event id. */
    public static String link(String type, String enterpriseId, String previousEnterpriseId, String goldenIin,
                            List<SourceRef> sources) {
        MpiLinkEvent e = linkEvent(type, enterpriseId, previousEnterpriseId, goldenIin, sources);
        TestKafka.send(Topics.MPI_LINKS.topic, enterpriseId, e);
        return e.getEnvelope().getEventId();
    }

    /** The event {@link #link} sends. */
    public static MpiLinkEvent linkEvent(String type, String enterpriseId, String previousEnterpriseId, String goldenIin,
                                         List<SourceRef> sources) {
        return MpiLinkEvent.newBuilder()
                .setEnvelope(Envelopes.of(UUID.randomUUID().toString(), type, "patient-index-service", enterpriseId,
                        Instant.now(), Instant.now(), null))
                .setLinkEventType(type)
                .setEnterpriseId(enterpriseId)
                .setPreviousEnterpriseId(previousEnterpriseId)
                .setGolden(GoldenRecord.newBuilder().setIin(goldenIin).setLastName("Ахметов").build())
                .setLinkedSources(sources)
                .build();
    }
}
