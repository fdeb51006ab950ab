package kz.ehr.billing.it;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import kz.ehr.events.Attachment;
import kz.ehr.events.Death;
import kz.ehr.events.Encounter;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Insurance;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.SourceRef;
import kz.ehr.events.Topics;
import kz.ehr.testsupport.TestKafka;

/** Builds and sends the events ingestion and the MPI would publish, straight to the real broker. */
final class Records {
    static final String PROVIDER = "damumed";

    private Records() {
    }

    static PatientInfo.Builder patient(String iin, String sex, String born) {
        return PatientInfo.newBuilder().setLocalId("L-" + iin).setIin(iin).setIinStatus("VALID").setSex(sex)
                .setBirthDate(LocalDate.parse(born)).setLastName("Тестов").setFirstName("Пациент").setPhone("+7701" + iin.substring(5, 12));
    }

    static HealthRecordEvent.Builder event(String type, PatientInfo patient) {
        String id = UUID.randomUUID().toString();
        return HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(id, type, PROVIDER, "rec-" + id, Instant.now(), Instant.now(), null))
                .setRecordType(type).setPatient(patient);
    }

    static void attach(String iin, String sex, String born, String bin, String from) {
        send(Topics.REGISTRY, event("ATTACHMENT", patient(iin, sex, born).build())
                .setAttachment(Attachment.newBuilder().setPolyclinicBin(bin).setRegion(null).setFrom(LocalDate.parse(from)).build()).build());
    }

    static void insured(String iin, boolean insured) {
        send(Topics.REGISTRY, event("INSURANCE", PatientInfo.newBuilder().setLocalId("L-" + iin).setIin(iin).setIinStatus("VALID").build())
                .setInsurance(Insurance.newBuilder().setInsured(insured).setFrom(LocalDate.of(2020, 1, 1)).build()).build());
    }

    static void died(String iin, String date) {
        send(Topics.REGISTRY, event("DEATH", PatientInfo.newBuilder().setLocalId("L-" + iin).setIin(iin).setIinStatus("VALID").build())
                .setDeath(Death.newBuilder().setDate(LocalDate.parse(date)).build()).build());
    }

    static void visit(String iin, String bin, String doctor, String startUtc, List<String> services, boolean referral) {
        send(Topics.CARE, event("ENCOUNTER", PatientInfo.newBuilder().setLocalId("L-" + iin).setIin(iin).setIinStatus("VALID").build())
                .setEncounter(Encounter.newBuilder().setPolyclinicBin(bin).setDoctorId(doctor).setStart(Instant.parse(startUtc))
                        .setEnd(Instant.parse(startUtc).plusSeconds(600)).setKind("VISIT").setServices(services).setReferral(referral)
                        .build()).build());
    }

    /** An encounter of kind SCREENING of a programme ({@code code}, e.g. BREAST or CHILD_PREVENTIVE); its record id. */
    static String screening(String iin, String bin, String doctor, String startUtc, String code) {
        HealthRecordEvent e = event("ENCOUNTER", PatientInfo.newBuilder().setLocalId("L-" + iin).setIin(iin).setIinStatus("VALID").build())
                .setEncounter(Encounter.newBuilder().setPolyclinicBin(bin).setDoctorId(doctor).setStart(Instant.parse(startUtc))
                        .setEnd(Instant.parse(startUtc).plusSeconds(600)).setKind("SCREENING").setScreening(code)
                        .setServices(List.of("SCR-" + code)).setReferral(false).build()).build();
        send(Topics.CARE, e);
        return e.getEnvelope().getSourceRecordId();
    }

    static void send(Topics topic, HealthRecordEvent e) {
        String key = "VALID".equals(e.getPatient().getIinStatus()) ? e.getPatient().getIin()
                : e.getEnvelope().getProviderId() + ":" + e.getPatient().getLocalId();
        TestKafka.send(topic.topic, key, e);
    }

    static void link(String enterpriseId, String goldenIin, String localId) {
        String id = UUID.randomUUID().toString();
        MpiLinkEvent e = MpiLinkEvent.newBuilder()
                .setEnvelope(Envelopes.of(id, "LINKED", "patient-index-service", localId, Instant.now(), Instant.now(), null))
                .setLinkEventType("LINKED").setEnterpriseId(enterpriseId)
                .setGolden(kz.ehr.events.GoldenRecord.newBuilder().setIin(goldenIin).setSex("F").setBirthDate(LocalDate.of(1980, 1, 1)).build())
                .setLinkedSources(List.of(SourceRef.newBuilder().setProviderId(PROVIDER).setLocalId(localId).setIin(null).build()))
                .build();
        TestKafka.send(Topics.MPI_LINKS.topic, enterpriseId, e);
    }
}
