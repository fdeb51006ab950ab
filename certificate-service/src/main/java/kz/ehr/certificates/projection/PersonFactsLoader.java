package kz.ehr.certificates.projection;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.eligibility.DispensaryRegister;
import kz.ehr.certificates.eligibility.PersonFacts;
import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;

/** Turns a person's stored events into the facts the eligibility rules read. */
@ApplicationScoped
public class PersonFactsLoader {
    private static final EventCodec<HealthRecordEvent> CODEC = EventCodec.of(HealthRecordEvent.class);

    @Inject
    PersonEvents personEvents;
    @Inject
    CertificatesConfig config;

    public PersonFacts load(String iin) throws SQLException {
        ZoneId zone = ZoneId.of(config.zone());
        PersonFacts.Builder b = PersonFacts.builder(iin);
        personEvents.forEachPayloadOf(iin, raw -> apply(b, CODEC.decode(raw), zone));
        return b.build();
    }

    static void apply(PersonFacts.Builder b, HealthRecordEvent e, ZoneId zone) {
        b.counted();
        PatientInfo p = e.getPatient();
        b.name(p.getLastName(), p.getFirstName(), p.getMiddleName()).birth(p.getBirthDate(), p.getSex());
        switch (e.getRecordType()) {
            case "DEATH" -> {
                if (e.getDeath() != null) {
                    b.died(e.getDeath().getDate());
                }
            }
            case "EXAM" -> {
                if (e.getExam() != null) {
                    b.exam(e.getExam().getPurpose(), e.getExam().getConclusion(), e.getExam().getDate(),
                            e.getExam().getDoctorId(), e.getExam().getFacilityBin());
                }
            }
            case "DISPENSARY" -> {
                DispensaryRegister register = register(e);
                if (register != null) {
                    b.registration(register, "REGISTERED".equals(e.getDispensary().getStatus()), e.getDispensary().getDate());
                }
            }
            case "IMMUNIZATION" -> {
                if (e.getImmunization() != null) {
                    b.immunization(e.getImmunization().getVaccine(), e.getImmunization().getDose(), e.getImmunization().getDate());
                }
            }
            case "OBSERVATION" -> {
                if (e.getObservation() != null) {
                    Instant at = e.getObservation().getEffectiveAt() != null ? e.getObservation().getEffectiveAt()
                            : e.getEnvelope().getOccurredAt();
                    b.observation(e.getObservation().getCode(), e.getObservation().getValue(), LocalDate.ofInstant(at, zone));
                }
            }
            case "ATTACHMENT" -> {
                if (e.getAttachment() != null) {
                    b.attachment(e.getAttachment().getPolyclinicBin(), e.getAttachment().getFrom(), e.getAttachment().getTo());
                }
            }
            case "ENCOUNTER" -> {
                if (e.getEncounter() != null) {
                    b.encounter(LocalDate.ofInstant(e.getEncounter().getStart(), zone), e.getEncounter().getKind(),
                            e.getEncounter().getDiagnoses());
                }
            }
            case "HOSPITALIZATION" -> {
                if (e.getHospitalization() != null) {
                    Instant out = e.getHospitalization().getDischargedAt();
                    b.hospitalization(e.getHospitalization().getFacilityBin(),
                            LocalDate.ofInstant(e.getHospitalization().getAdmittedAt(), zone),
                            out == null ? null : LocalDate.ofInstant(out, zone));
                }
            }
            default -> {
                // demographics, insurance: only the patient block matters here
            }
        }
    }

    static DispensaryRegister register(HealthRecordEvent e) {
        if (e.getDispensary() == null) {
            return null;
        }
        try {
            return DispensaryRegister.valueOf(e.getDispensary().getRegister());
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }
}
