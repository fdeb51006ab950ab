package kz.ehr.ingestion.validation;

import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import kz.ehr.events.Attachment;
import kz.ehr.events.Death;
import kz.ehr.events.Dispensary;
import kz.ehr.events.Encounter;
import kz.ehr.events.Envelopes;
import kz.ehr.events.Exam;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Hospitalization;
import kz.ehr.events.Immunization;
import kz.ehr.events.Insurance;
import kz.ehr.events.Observation;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.Topics;

/**
 * Turns one provider record (API.md) into a normalised {@link HealthRecordEvent}, or the list of
 * reasons it is rejected. Plain domain code over Jackson's tree: no framework types.
 */
public final class RecordValidator {
    static final Map<String, Topics> TOPIC_BY_TYPE = Map.of(
            "PATIENT", Topics.PATIENTS,
            "ATTACHMENT", Topics.REGISTRY, "INSURANCE", Topics.REGISTRY, "DISPENSARY", Topics.REGISTRY,
            "DEATH", Topics.REGISTRY,
            "ENCOUNTER", Topics.CARE, "OBSERVATION", Topics.CARE, "IMMUNIZATION", Topics.CARE, "EXAM", Topics.CARE,
            "HOSPITALIZATION", Topics.CARE);
    static final Set<String> ENCOUNTER_KINDS = Set.of("VISIT", "HOME_VISIT", "SCREENING", "TELEMEDICINE", "VACCINATION");

    private RecordValidator() {
    }

    public static ValidatedRecord validate(String providerId, JsonNode record, Instant ingestedAt) {
        List<RecordError> errors = new ArrayList<>();
        Fields f = new Fields(record, errors);
        String recordId = f.text("recordId", true);
        String type = f.text("type", true);
        Instant occurredAt = f.instant("occurredAt", false);
        JsonNode patientNode = record.path("patient");
        if (!patientNode.isObject()) {
            errors.add(new RecordError("REQUIRED", "patient", "patient block is required"));
        }
        if (type != null && !TOPIC_BY_TYPE.containsKey(type)) {
            errors.add(new RecordError("UNKNOWN_TYPE", "type", "type \"" + type + "\" is not one of " + TOPIC_BY_TYPE.keySet()));
            type = null;
        }
        if (!errors.isEmpty() || type == null) {
            return ValidatedRecord.rejected(recordId, errors);
        }
        List<String> warnings = new ArrayList<>();
        PatientInfo patient = patient(new Fields(patientNode, errors, "patient."), warnings);
        HealthRecordEvent.Builder event = HealthRecordEvent.newBuilder().setRecordType(type).setPatient(patient);
        String block = blockName(type);
        JsonNode blockNode = record.path(block);
        if (!type.equals("PATIENT")) {
            if (!blockNode.isObject()) {
                errors.add(new RecordError("REQUIRED", block, block + " block is required for type " + type));
                return ValidatedRecord.rejected(recordId, errors);
            }
            typeBlock(type, new Fields(blockNode, errors, block + "."), event);
        }
        if (!errors.isEmpty()) {
            return ValidatedRecord.rejected(recordId, errors);
        }
        Instant occurred = occurredAt != null ? occurredAt : ingestedAt;
        event.setWarnings(warnings);
        event.setEnvelope(Envelopes.of(Envelopes.stableEventId(providerId, recordId, record.toString()), type, providerId,
                recordId, occurred, ingestedAt, null));
        String key = "VALID".equals(patient.getIinStatus()) ? patient.getIin() : providerId + ":" + patient.getLocalId();
        return new ValidatedRecord(recordId, event.build(), TOPIC_BY_TYPE.get(type), key, List.of());
    }

    static String blockName(String type) {
        String lower = type.toLowerCase(Locale.ROOT);
        return lower;
    }

    private static PatientInfo patient(Fields p, List<String> warnings) {
        PatientInfo.Builder b = PatientInfo.newBuilder();
        b.setLocalId(orEmpty(p.text("localId", true)));
        String iin = p.text("iin", false);
        if (iin == null) {
            b.setIinStatus("MISSING");
        } else {
            b.setIin(iin);
            boolean valid = Iin.hasValidCheckDigit(iin) && Iin.birthDate(iin).isPresent();
            b.setIinStatus(valid ? "VALID" : "INVALID");
            if (!valid) {
                warnings.add("IIN_INVALID");
            }
        }
        b.setLastName(nfc(p.text("lastName", false)));
        b.setFirstName(nfc(p.text("firstName", false)));
        b.setMiddleName(nfc(p.text("middleName", false)));
        b.setLastNameNorm(fold(b.getLastName()));
        b.setFirstNameNorm(fold(b.getFirstName()));
        b.setMiddleNameNorm(fold(b.getMiddleName()));
        b.setBirthDate(p.date("birthDate", false));
        b.setSex(p.oneOf("sex", false, Set.of("M", "F")));
        b.setPhone(p.text("phone", false));
        b.setAddress(nfc(p.text("address", false)));
        return b.build();
    }

    private static void typeBlock(String type, Fields f, HealthRecordEvent.Builder e) {
        switch (type) {
            case "ATTACHMENT" -> e.setAttachment(Attachment.newBuilder().setPolyclinicBin(orEmpty(f.text("polyclinicBin", true)))
                    .setRegion(f.text("region", false)).setFrom(f.date("from", true)).setTo(f.date("to", false)).build());
            case "INSURANCE" -> e.setInsurance(Insurance.newBuilder().setInsured(f.bool("insured", true))
                    .setFrom(f.date("from", false)).setTo(f.date("to", false)).build());
            case "ENCOUNTER" -> e.setEncounter(Encounter.newBuilder().setEncounterId(f.text("encounterId", false))
                    .setPolyclinicBin(orEmpty(f.text("polyclinicBin", true))).setDoctorId(f.text("doctorId", false))
                    .setStart(orEpoch(f.instant("start", true))).setEnd(f.instant("end", false))
                    .setKind(orEmpty(f.oneOf("kind", true, ENCOUNTER_KINDS)))
                    .setScreening(f.text("screening", false))
                    .setDiagnoses(f.strings("diagnoses")).setServices(f.strings("services"))
                    .setReferral(Boolean.TRUE.equals(f.optionalBool("referral"))).build());
            case "OBSERVATION" -> e.setObservation(Observation.newBuilder().setCode(orEmpty(f.text("code", true)))
                    .setValue(f.text("value", false)).setUnit(f.text("unit", false))
                    .setEffectiveAt(f.instant("effectiveAt", false)).build());
            case "IMMUNIZATION" -> e.setImmunization(Immunization.newBuilder().setVaccine(orEmpty(f.text("vaccine", true)))
                    .setDose(f.optionalInt("dose")).setDate(f.date("date", true)).build());
            case "EXAM" -> e.setExam(Exam.newBuilder().setPurpose(orEmpty(f.text("purpose", true)))
                    .setConclusion(orEmpty(f.text("conclusion", true))).setDate(f.date("date", true))
                    .setDoctorId(f.text("doctorId", false)).setFacilityBin(f.text("facilityBin", false)).build());
            case "DISPENSARY" -> e.setDispensary(Dispensary.newBuilder().setRegister(orEmpty(f.text("register", true)))
                    .setStatus(orEmpty(f.text("status", true))).setDate(f.date("date", true)).build());
            case "HOSPITALIZATION" -> e.setHospitalization(Hospitalization.newBuilder()
                    .setFacilityBin(orEmpty(f.text("facilityBin", true))).setAdmittedAt(orEpoch(f.instant("admittedAt", true)))
                    .setDischargedAt(f.instant("dischargedAt", false)).build());
            case "DEATH" -> e.setDeath(Death.newBuilder().setDate(f.date("date", true)).build());
            default -> throw new IllegalArgumentException(type);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Instant orEpoch(Instant i) {
        return i == null ? Instant.EPOCH : i;
    }

    static String nfc(String s) {
        return s == null ? null : Normalizer.normalize(s.strip(), Normalizer.Form.NFC);
    }

    static String fold(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    /** Typed access to one JSON object, collecting errors with their field paths. */
    static final class Fields {
        private final JsonNode node;
        private final List<RecordError> errors;
        private final String prefix;

        Fields(JsonNode node, List<RecordError> errors) {
            this(node, errors, "");
        }

        Fields(JsonNode node, List<RecordError> errors, String prefix) {
            this.node = node;
            this.errors = errors;
            this.prefix = prefix;
        }

        String text(String name, boolean required) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
                if (required) {
                    errors.add(new RecordError("REQUIRED", prefix + name, prefix + name + " is required"));
                }
                return null;
            }
            if (!v.isTextual()) {
                errors.add(new RecordError("WRONG_TYPE", prefix + name, prefix + name + " must be a string"));
                return null;
            }
            return v.asText().strip();
        }

        String oneOf(String name, boolean required, Set<String> allowed) {
            String v = text(name, required);
            if (v != null && !allowed.contains(v)) {
                errors.add(new RecordError("INVALID_ENUM", prefix + name,
                        prefix + name + " \"" + v + "\" is not one of " + allowed));
                return null;
            }
            return v;
        }

        LocalDate date(String name, boolean required) {
            return parse(name, required, LocalDate::parse, "a date YYYY-MM-DD");
        }

        Instant instant(String name, boolean required) {
            return parse(name, required, s -> OffsetDateTime.parse(s).toInstant(), "an ISO-8601 instant with offset");
        }

        private <T> T parse(String name, boolean required, Function<String, T> parser, String expected) {
            String v = text(name, required);
            if (v == null) {
                return null;
            }
            try {
                return parser.apply(v);
            } catch (DateTimeParseException e) {
                errors.add(new RecordError("INVALID_DATE", prefix + name, prefix + name + " \"" + v + "\" is not " + expected));
                return null;
            }
        }

        boolean bool(String name, boolean required) {
            Boolean b = optionalBool(name);
            if (b == null && required && (node.get(name) == null || node.get(name).isNull())) {
                errors.add(new RecordError("REQUIRED", prefix + name, prefix + name + " is required"));
            }
            return Boolean.TRUE.equals(b);
        }

        Boolean optionalBool(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isBoolean()) {
                errors.add(new RecordError("WRONG_TYPE", prefix + name, prefix + name + " must be true or false"));
                return null;
            }
            return v.asBoolean();
        }

        Integer optionalInt(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                errors.add(new RecordError("WRONG_TYPE", prefix + name, prefix + name + " must be a whole number"));
                return null;
            }
            return v.asInt();
        }

        List<String> strings(String name) {
            JsonNode v = node.get(name);
            List<String> out = new ArrayList<>();
            if (v == null || v.isNull()) {
                return out;
            }
            if (!v.isArray()) {
                errors.add(new RecordError("WRONG_TYPE", prefix + name, prefix + name + " must be an array of strings"));
                return out;
            }
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isTextual()) {
                    errors.add(new RecordError("WRONG_TYPE", prefix + name + "[" + i + "]", prefix + name + "[" + i + "] must be a string"));
                } else {
                    out.add(v.get(i).asText().strip());
                }
            }
            return out;
        }
    }
}
