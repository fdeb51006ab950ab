package kz.ehr.simulator.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecordBase;

import kz.ehr.events.Attachment;
import kz.ehr.events.Death;
import kz.ehr.events.Dispensary;
import kz.ehr.events.Encounter;
import kz.ehr.events.EventCodec;
import kz.ehr.events.Envelopes;
import kz.ehr.events.Exam;
import kz.ehr.events.GoldenRecord;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Hospitalization;
import kz.ehr.events.Immunization;
import kz.ehr.events.Insurance;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.Observation;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.SourceRef;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.identity.Iin;
import kz.ehr.simulator.fraud.FraudType;
import kz.ehr.simulator.output.RecordSink;
import kz.ehr.simulator.output.SourceRecord;
import kz.ehr.simulator.output.Simulation;

/**
 * The stream a consuming service sees, for its in-process stream benches (billing's and certificates'): the simulator's
 * records (three providers, every record type, their error profiles and the fraud mix, in generation order as the
 * pipeline benchmark sends them) as the events ingestion publishes, keyed as it keys them, plus an
 * {@code mpi.links.v1} LINKED event per PATIENT record (the simulator's truth as a perfect index: every source of the
 * person, the golden IIN the first valid one), {@code linkDelay} records later (the index's latency). Lives here, not in
 * test-support: test-support cannot depend on the simulator, whose own tests use test-support.
 */
public final class PublishedStream {
    public static final ZoneId ZONE = ZoneId.of("Asia/Almaty");
    static final EventCodec<HealthRecordEvent> RECORDS = EventCodec.of(HealthRecordEvent.class);
    static final EventCodec<MpiLinkEvent> LINKS = EventCodec.of(MpiLinkEvent.class);

    private PublishedStream() {
    }

    /** The first {@code records} records of seed {@code seed} (~13.6 records a person: persons to spare). */
    public static List<Delivery<SpecificRecordBase>> generate(int records, long seed, int linkDelay) throws Exception {
        return generate(records, seed, Math.max(200, records / 10), linkDelay, null);
    }

    /** The stream of {@code persons} simulated people, cut at {@code records}; {@code labels} (if given) gets the fraud truth. */
    public static List<Delivery<SpecificRecordBase>> generate(int records, long seed, int persons, int linkDelay,
                                                              Map<String, FraudType> labels) throws Exception {
        List<String> providers = List.of("damumed", "kmis", "medelement");
        Simulation sim = new Simulation(Simulation.Settings.of(persons, providers, seed));
        List<Delivery<SpecificRecordBase>> out = new ArrayList<>((int) Math.min(records + records / 8L, persons * 16L));
        Map<String, String> personOfSource = new HashMap<>();
        Map<String, Set<String>> sourcesOfPerson = new HashMap<>();
        Map<String, String> iinOfPerson = new HashMap<>();
        ArrayDeque<PendingLink> pendingLinks = new ArrayDeque<>();
        long[] offset = {0};
        class Enough extends RuntimeException {
        }
        RecordSink sink = new RecordSink() {
            int n;

            @Override
            public void truthPerson(String providerId, String localId, String personId) {
                personOfSource.put(providerId + ":" + localId, personId);
                sourcesOfPerson.computeIfAbsent(personId, p -> new LinkedHashSet<>()).add(providerId + ":" + localId);
            }

            @Override
            public void truthFraud(String providerId, String recordId, FraudType type) {
                if (labels != null) {
                    labels.put(providerId + ":" + recordId, type);
                }
            }

            @Override
            public void record(SourceRecord r) {
                if (n >= records) {
                    throw new Enough();
                }
                n++;
                HealthRecordEvent e = event(r);
                String source = r.providerId() + ":" + r.patient().localId();
                String person = personOfSource.get(source);
                // ingestion's key (RecordValidator): the IIN when valid, else the source record's provider and local id
                String key = "VALID".equals(e.getPatient().getIinStatus()) ? e.getPatient().getIin() : source;
                if ("VALID".equals(e.getPatient().getIinStatus()) && person != null) {
                    iinOfPerson.putIfAbsent(person, e.getPatient().getIin());
                }
                Topics topic = switch (r.type().name()) {
                    case "PATIENT" -> Topics.PATIENTS;
                    case "ATTACHMENT", "INSURANCE", "DISPENSARY", "DEATH" -> Topics.REGISTRY;
                    default -> Topics.CARE;
                };
                out.add(delivery(topic.topic, offset[0]++, key, e, RECORDS.encode(e)));
                if ("PATIENT".equals(r.type().name()) && person != null) {
                    pendingLinks.add(new PendingLink(out.size() + linkDelay, person, r.providerId(), r.patient().localId(), e.getPatient(),
                            r.occurredAt().toInstant()));
                }
                while (!pendingLinks.isEmpty() && pendingLinks.peek().due() <= out.size()) {
                    addLink(pendingLinks.poll());
                }
            }

            void addLink(PendingLink l) {
                MpiLinkEvent link = link(l.person(), l.provider(), l.localId(), l.patient(), l.occurred(), sourcesOfPerson.get(l.person()),
                        iinOfPerson.get(l.person()));
                out.add(delivery(Topics.MPI_LINKS.topic, offset[0]++, link.getEnterpriseId(), link, LINKS.encode(link)));
            }
        };
        try {
            sim.run(sink);
        } catch (Enough enough) {
            // exactly `records` records
        }
        while (!pendingLinks.isEmpty()) {
            PendingLink l = pendingLinks.poll();
            MpiLinkEvent link = link(l.person(), l.provider(), l.localId(), l.patient(), l.occurred(), sourcesOfPerson.get(l.person()),
                    iinOfPerson.get(l.person()));
            out.add(delivery(Topics.MPI_LINKS.topic, offset[0]++, link.getEnterpriseId(), link, LINKS.encode(link)));
        }
        return out;
    }

    private record PendingLink(int due, String person, String provider, String localId, PatientInfo patient, Instant occurred) {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Delivery<SpecificRecordBase> delivery(String topic, long offset, String key, SpecificRecordBase value, byte[] raw) {
        return new Delivery(topic, 0, offset, key, value, raw);
    }

    /** Linked when its PATIENT record occurred ({@code now}): not the clock, so that every run's events are the same bytes. */
    static MpiLinkEvent link(String person, String provider, String localId, PatientInfo p, Instant now, Set<String> sources, String iin) {
        String enterprise = UUID.nameUUIDFromBytes(person.getBytes(StandardCharsets.UTF_8)).toString();
        List<SourceRef> refs = new ArrayList<>();
        for (String s : sources) {
            int colon = s.indexOf(':');
            refs.add(SourceRef.newBuilder().setProviderId(s.substring(0, colon)).setLocalId(s.substring(colon + 1)).setIin(null).build());
        }
        return MpiLinkEvent.newBuilder()
                .setEnvelope(Envelopes.of(Envelopes.stableEventId("bench-link", provider, localId), "MpiLinkEvent.LINKED", "patient-index",
                        provider + ":" + localId, now, now, null))
                .setLinkEventType("LINKED").setEnterpriseId(enterprise).setPreviousEnterpriseId(null).setSourceProviderId(provider)
                .setSourceLocalId(localId).setSourceIin(p.getIin()).setScore(1.0).setReason(null)
                .setGolden(GoldenRecord.newBuilder().setIin(iin).setLastName(p.getLastName()).setFirstName(p.getFirstName())
                        .setMiddleName(p.getMiddleName()).setBirthDate(p.getBirthDate()).setSex(p.getSex()).setPhone(p.getPhone())
                        .setAddress(p.getAddress()).build())
                .setLinkedSources(refs).build();
    }

    /**
     * The event ingestion would publish for the record. A date in a provider's other format is not parsed here (ingestion
     * would); where the schema requires one, the day the record occurred stands in. Ingested when it occurred: the payload
 * bytes, which certificates store, are the same in every run.
     */
    public static HealthRecordEvent event(SourceRecord r) {
        var sp = r.patient();
        LocalDate birth = date(sp.birthDate());
        String status = sp.iin() == null || sp.iin().isBlank() ? "MISSING" : Iin.problem(sp.iin(), LocalDate.now(ZONE)).isPresent() ? "INVALID" : "VALID";
        PatientInfo patient = PatientInfo.newBuilder().setLocalId(sp.localId()).setIin(sp.iin()).setIinStatus(status)
                .setLastName(sp.lastName()).setFirstName(sp.firstName()).setMiddleName(sp.middleName()).setBirthDate(birth)
                .setSex("M".equals(sp.sex()) || "F".equals(sp.sex()) ? sp.sex() : null).setPhone(sp.phone()).setAddress(sp.address())
                .build();
        Map<String, Object> b = r.block();
        LocalDate occurred = r.occurredAt().atZoneSameInstant(ZONE).toLocalDate();
        HealthRecordEvent.Builder e = HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(Envelopes.stableEventId("bench", r.providerId(), r.recordId()), r.type().name(), r.providerId(),
                        r.recordId(), r.occurredAt().toInstant(), r.occurredAt().toInstant(), null))
                .setRecordType(r.type().name()).setRecordVersion(1).setPatient(patient).setWarnings(List.of());
        switch (r.type().name()) {
            case "ATTACHMENT" -> e.setAttachment(Attachment.newBuilder().setPolyclinicBin(str(b, "polyclinicBin")).setRegion(str(b, "region"))
                    .setFrom(date(str(b, "from"))).setTo(date(str(b, "to"))).build());
            case "INSURANCE" -> e.setInsurance(Insurance.newBuilder().setInsured(Boolean.TRUE.equals(b.get("insured")))
                    .setFrom(date(str(b, "from"))).setTo(date(str(b, "to"))).build());
            case "ENCOUNTER" -> {
                @SuppressWarnings("unchecked")
                List<String> services = b.get("services") == null ? List.of() : (List<String>) b.get("services");
                @SuppressWarnings("unchecked")
                List<String> diagnoses = b.get("diagnoses") == null ? List.of() : (List<String>) b.get("diagnoses");
                e.setEncounter(Encounter.newBuilder().setEncounterId(str(b, "encounterId")).setPolyclinicBin(str(b, "polyclinicBin"))
                        .setDoctorId(str(b, "doctorId")).setStart(instant(b.get("start"))).setEnd(instant(b.get("end")))
                        .setKind(str(b, "kind")).setScreening(str(b, "screening")).setDiagnoses(diagnoses).setServices(services)
                        .setReferral(Boolean.TRUE.equals(b.get("referral"))).build());
            }
            case "OBSERVATION" -> e.setObservation(Observation.newBuilder().setCode(str(b, "code")).setValue(str(b, "value"))
                    .setUnit(str(b, "unit")).setEffectiveAt(instant(b.get("effectiveAt"))).build());
            case "IMMUNIZATION" -> e.setImmunization(Immunization.newBuilder().setVaccine(str(b, "vaccine"))
                    .setDose(b.get("dose") instanceof Number n ? n.intValue() : null).setDate(dateOr(str(b, "date"), occurred)).build());
            case "EXAM" -> e.setExam(Exam.newBuilder().setPurpose(str(b, "purpose")).setConclusion(str(b, "conclusion"))
                    .setDate(dateOr(str(b, "date"), occurred)).setDoctorId(str(b, "doctorId")).setFacilityBin(str(b, "facilityBin")).build());
            case "DISPENSARY" -> e.setDispensary(Dispensary.newBuilder().setRegister(str(b, "register")).setStatus(str(b, "status"))
                    .setDate(dateOr(str(b, "date"), occurred)).build());
            case "HOSPITALIZATION" -> e.setHospitalization(Hospitalization.newBuilder().setFacilityBin(str(b, "facilityBin"))
                    .setAdmittedAt(instant(b.get("admittedAt"))).setDischargedAt(instant(b.get("dischargedAt"))).build());
            case "DEATH" -> e.setDeath(Death.newBuilder().setDate(dateOr(str(b, "date"), occurred)).build());
            default -> {
                // PATIENT: the patient block only
            }
        }
        return e.build();
    }

    static String str(Map<String, Object> b, String key) {
        Object v = b.get(key);
        return v == null ? null : v.toString();
    }

    static LocalDate date(String s) {
        try {
            return s == null ? null : LocalDate.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            return null; // a provider's other format: ingestion would parse it
        }
    }

    static LocalDate dateOr(String s, LocalDate fallback) {
        LocalDate d = date(s);
        return d == null ? fallback : d;
    }

    static Instant instant(Object v) {
        if (v == null) {
            return null;
        }
        return v instanceof OffsetDateTime o ? o.toInstant() : OffsetDateTime.parse(v.toString()).toInstant();
    }
}
