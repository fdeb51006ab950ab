package kz.ehr.ingestion.validation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
import kz.ehr.identity.Bin;
import kz.ehr.identity.IdentifierProblem;
import kz.ehr.identity.Iin;

/**
 * Turns one provider record (API.md) into a normalised {@link HealthRecordEvent}, or the list of
 * reasons it is rejected. Plain domain code over Jackson's tree: no framework types.
 * <p>
 * Policy: anything that makes the record's meaning unreliable rejects it (structure, types, required
 * fields, enums, dates, facility BINs, ICD-10 shape, lengths, control characters). Problems with the
 * patient's identity only warn (IIN format/checksum/date, IIN vs. sex/birth date, an unparseable phone):
 * the record is accepted with the IIN marked INVALID so the patient index can repair identity.
 */
public final class RecordValidator {
    public static final Map<String, Topics> TOPIC_BY_TYPE = Map.of(
            "PATIENT", Topics.PATIENTS,
            "ATTACHMENT", Topics.REGISTRY, "INSURANCE", Topics.REGISTRY, "DISPENSARY", Topics.REGISTRY,
            "DEATH", Topics.REGISTRY,
            "ENCOUNTER", Topics.CARE, "OBSERVATION", Topics.CARE, "IMMUNIZATION", Topics.CARE, "EXAM", Topics.CARE,
            "HOSPITALIZATION", Topics.CARE);
    static final Set<String> TYPES = new TreeSet<>(TOPIC_BY_TYPE.keySet());
    static final Set<String> ENCOUNTER_KINDS = new TreeSet<>(Set.of("VISIT", "HOME_VISIT", "SCREENING", "TELEMEDICINE", "VACCINATION"));
    /** The screening programmes' codes, from the one table billing's rules use too (CHILD_PREVENTIVE: children's annual exam). */
    static final Set<String> SCREENINGS = kz.ehr.screening.ScreeningProgramme.domainCodes();
    static final Set<String> EXAM_PURPOSES = new TreeSet<>(Set.of("DRIVER", "EMPLOYMENT", "STUDY", "SCHOOL", "KINDERGARTEN"));
    static final Set<String> EXAM_CONCLUSIONS = new TreeSet<>(Set.of("FIT", "UNFIT", "FIT_WITH_RESTRICTIONS"));
    static final Set<String> REGISTERS = new TreeSet<>(Set.of("PSYCHIATRIC", "NARCOLOGICAL", "TB"));
    static final Set<String> REGISTER_STATUSES = new TreeSet<>(Set.of("REGISTERED", "DEREGISTERED"));
    static final Set<String> SEXES = new TreeSet<>(Set.of("M", "F"));

    static final Set<String> TOP_LEVEL_FIELDS = Set.of("recordId", "type", "occurredAt", "patient");
    static final Map<String, Set<String>> BLOCK_FIELDS = blockFields();

    /** Length limits: generous for real data, small enough that a runaway string cannot ride into every consumer. */
    static final int MAX_ID = 128;
    static final int MAX_CODE = 64;
    static final int MAX_NAME = 100;
    static final int MAX_ADDRESS = 500;
    static final int MAX_TEXT = 256;
    static final int MAX_LIST = 50;
    static final LocalDate EARLIEST_BIRTH = LocalDate.of(1880, 1, 1);

    private static final DateTimeFormatter DOTTED = DateTimeFormatter.ofPattern("dd.MM.uuuu").withResolverStyle(ResolverStyle.STRICT);

    private RecordValidator() {
    }

    private static Map<String, Set<String>> blockFields() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("patient", Set.of("localId", "iin", "motherIin", "lastName", "firstName", "middleName", "birthDate", "sex", "phone",
                "address"));
        m.put("attachment", Set.of("polyclinicBin", "region", "from", "to"));
        m.put("insurance", Set.of("insured", "from", "to"));
        m.put("encounter", Set.of("encounterId", "polyclinicBin", "doctorId", "start", "end", "kind", "screening", "diagnoses",
                "services", "referral"));
        m.put("observation", Set.of("code", "value", "unit", "effectiveAt"));
        m.put("immunization", Set.of("vaccine", "dose", "date"));
        m.put("exam", Set.of("purpose", "conclusion", "date", "doctorId", "facilityBin"));
        m.put("dispensary", Set.of("register", "status", "date"));
        m.put("hospitalization", Set.of("facilityBin", "admittedAt", "dischargedAt"));
        m.put("death", Set.of("date"));
        return Map.copyOf(m);
    }

    /** The block a record of {@code type} carries: the type in lower camel case. */
    public static String blockName(String type) {
        return type.toLowerCase(Locale.ROOT);
    }

    public static ValidatedRecord validate(String providerId, JsonNode record, ValidationPolicy policy) {
        List<RecordError> errors = new ArrayList<>();
        List<RecordError> warnings = new ArrayList<>();
        if (record == null || !record.isObject()) {
            return ValidatedRecord.rejected(null, null,
                    List.of(new RecordError("NOT_AN_OBJECT", null, "a record must be a JSON object")));
        }
        Fields top = new Fields(record, errors, "", policy, null);
        String recordId = top.text("recordId", true, MAX_ID);
        String type = top.text("type", true, 32);
        if (type != null && !TOPIC_BY_TYPE.containsKey(type)) {
            errors.add(new RecordError("UNKNOWN_TYPE", "type", "type \"" + type + "\" is not one of " + TYPES));
            type = null;
        }
        String block = type == null ? null : blockName(type);
        for (Iterator<String> names = record.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (TOP_LEVEL_FIELDS.contains(name) || name.equals(block)) {
                continue;
            }
            if (BLOCK_FIELDS.containsKey(name) && type != null) {
                errors.add(new RecordError("UNKNOWN_FIELD", name, "block \"" + name + "\" does not belong to a " + type
                        + " record; send only the block named after the type (\"" + block + "\")"));
            } else if (!BLOCK_FIELDS.containsKey(name)) {
                errors.add(new RecordError("UNKNOWN_FIELD", name, "unknown field \"" + name + "\"; a record has "
                        + new TreeSet<>(TOP_LEVEL_FIELDS) + " and one block named after its type"));
            }
        }
        JsonNode patientNode = record.get("patient");
        PatientInfo patient = null;
        LocalDate birthDate = null;
        if (patientNode == null || patientNode.isNull()) {
            errors.add(new RecordError("REQUIRED", "patient", "patient block is required (at least patient.localId)"));
        } else if (!patientNode.isObject()) {
            errors.add(new RecordError("WRONG_TYPE", "patient", "patient must be an object"));
        } else {
            Fields p = new Fields(patientNode, errors, "patient.", policy, null);
            patient = patient(p, warnings, policy);
            birthDate = patient.getBirthDate() != null ? patient.getBirthDate()
                    : "VALID".equals(patient.getIinStatus()) ? Iin.birthDate(patient.getIin()).orElse(null) : null;
        }
        if (type == null) {
            return ValidatedRecord.rejected(recordId, null, errors);
        }
        // the plain object, not the Avro builder: a builder resolves every unset field's default per record, which was
        // a measurable share of the per-record cost
        HealthRecordEvent event = new HealthRecordEvent();
        event.setRecordType(type);
        Instant mainTime = null;
        if (!type.equals("PATIENT")) {
            JsonNode blockNode = record.get(block);
            if (blockNode == null || blockNode.isNull()) {
                errors.add(new RecordError("REQUIRED", block, block + " block is required for type " + type));
            } else if (!blockNode.isObject()) {
                errors.add(new RecordError("WRONG_TYPE", block, block + " must be an object"));
            } else {
                mainTime = typeBlock(type, new Fields(blockNode, errors, block + ".", policy, birthDate), event, policy);
            }
        }
        Instant occurredAt = top.eventInstant("occurredAt", false, birthDate);
        if (!errors.isEmpty() || patient == null) {
            return ValidatedRecord.rejected(recordId, type, errors);
        }
        Instant occurred = occurredAt != null ? occurredAt : mainTime != null ? mainTime : policy.now();
        List<String> warningCodes = new ArrayList<>(warnings.size());
        warnings.forEach(w -> warningCodes.add(w.code()));
        event.setPatient(patient);
        event.setWarnings(warningCodes);
        event.setRecordVersion(1);
        // the event id and version are settled once the record's history is known (RecordVersions)
        event.setEnvelope(Envelopes.of("", type, providerId, recordId, occurred, policy.now(), null));
        String key = "VALID".equals(patient.getIinStatus()) ? patient.getIin() : providerId + ":" + patient.getLocalId();
        return new ValidatedRecord(recordId, type, event, TOPIC_BY_TYPE.get(type), key, List.of(), List.copyOf(warnings));
    }

    private static PatientInfo patient(Fields p, List<RecordError> warnings, ValidationPolicy policy) {
        p.rejectUnknown(BLOCK_FIELDS.get("patient"));
        PatientInfo.Builder b = PatientInfo.newBuilder().setIin(null).setPhone(null);
        b.setLocalId(orEmpty(p.text("localId", true, MAX_ID)));
        b.setLastName(Names.nfc(p.text("lastName", false, MAX_NAME)));
        b.setFirstName(Names.nfc(p.text("firstName", false, MAX_NAME)));
        b.setMiddleName(Names.nfc(p.text("middleName", false, MAX_NAME)));
        b.setLastNameNorm(Names.fold(b.getLastName()));
        b.setFirstNameNorm(Names.fold(b.getFirstName()));
        b.setMiddleNameNorm(Names.fold(b.getMiddleName()));
        LocalDate birthDate = p.date("birthDate", false);
        if (birthDate != null && birthDate.isAfter(policy.today())) {
            p.error("FUTURE_DATE", "birthDate", "patient.birthDate " + birthDate + " is in the future");
            birthDate = null;
        } else if (birthDate != null && birthDate.isBefore(EARLIEST_BIRTH)) {
            p.error("INVALID_DATE", "birthDate", "patient.birthDate " + birthDate + " is before " + EARLIEST_BIRTH);
            birthDate = null;
        }
        b.setBirthDate(birthDate);
        String sex = p.oneOf("sex", false, SEXES, true);
        b.setSex(sex);
        String phone = p.text("phone", false, 32);
        if (phone != null) {
            Optional<String> e164 = PhoneNumbers.toE164(phone);
            if (e164.isEmpty()) {
                warnings.add(new RecordError("PHONE_FORMAT", "patient.phone",
                        "patient.phone is not a Kazakh number (+7 and 10 digits) or an international +number; it was dropped"));
            }
            b.setPhone(e164.orElse(null));
        }
        b.setAddress(Names.nfc(p.text("address", false, MAX_ADDRESS)));
        iin(p, b, sex, birthDate, warnings, policy.today());
        motherIin(p, b, warnings, policy.today());
        return b.build();
    }

    /** Identity problems warn and mark the IIN INVALID; they never reject (the patient index repairs identity). */
    private static void iin(Fields p, PatientInfo.Builder b, String sex, LocalDate birthDate, List<RecordError> warnings,
                            LocalDate today) {
        JsonNode node = p.node.get("iin");
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            b.setIinStatus("MISSING");
            return;
        }
        String iin;
        if (node.isTextual()) {
            iin = p.text("iin", false, 32);
            if (iin == null) {
                b.setIinStatus("MISSING"); // rejected for control characters or length by text()
                return;
            }
        } else if (node.isIntegralNumber()) {
            iin = node.asText();
        } else {
            p.error("WRONG_TYPE", "iin", "patient.iin must be a string of 12 digits");
            b.setIinStatus("MISSING");
            return;
        }
        b.setIin(iin);
        Optional<IdentifierProblem> problem = Iin.problem(iin, today);
        if (problem.isPresent()) {
            String shown = Iin.hasValidShape(iin) ? " \"" + mask(iin) + "\" " : " ";
            warnings.add(new RecordError(problem.get().code(), "patient.iin", "patient.iin" + shown + problem.get().reason()
                    + (problem.get().code().equals("IIN_FORMAT") ? " (send it as a string, so leading zeros survive)" : "")));
            b.setIinStatus("INVALID");
            return;
        }
        b.setIinStatus("VALID");
        if (sex != null && !sex.equals(Iin.sex(iin).orElse(sex))) {
            warnings.add(new RecordError("IIN_SEX_MISMATCH", "patient.sex",
                    "patient.sex " + sex + " disagrees with the sex encoded in patient.iin (digit 7)"));
        }
        if (birthDate != null && !birthDate.equals(Iin.birthDate(iin).orElse(birthDate))) {
            warnings.add(new RecordError("IIN_BIRTHDATE_MISMATCH", "patient.birthDate",
                    "patient.birthDate " + birthDate + " disagrees with the birth date encoded in patient.iin (digits 1–7)"));
        }
    }

    /**
     * A newborn recorded before it has an IIN of its own names its mother (API.md). A mother's IIN that is not valid,
     * or that is the record's own IIN, cannot tell a newborn from its mother: it is dropped with a warning (the
     * record is still accepted, as with the patient's own IIN).
     */
    private static void motherIin(Fields p, PatientInfo.Builder b, List<RecordError> warnings, LocalDate today) {
        String motherIin = p.text("motherIin", false, 32);
        if (motherIin == null) {
            return;
        }
        Optional<IdentifierProblem> problem = Iin.problem(motherIin, today);
        if (problem.isPresent()) {
            String shown = Iin.hasValidShape(motherIin) ? " \"" + mask(motherIin) + "\" " : " ";
            warnings.add(new RecordError("MOTHER_" + problem.get().code(), "patient.motherIin",
                    "patient.motherIin" + shown + problem.get().reason() + "; it was dropped"));
        } else if (motherIin.equals(b.getIin())) {
            warnings.add(new RecordError("MOTHER_IIN_IS_OWN", "patient.motherIin",
                    "patient.motherIin is the record's own patient.iin: a newborn without an IIN of its own sends only motherIin;"
                            + " it was dropped"));
        } else {
            b.setMotherIin(motherIin);
        }
    }

    /** Messages go back to the caller and into rejection lists: show only enough of an IIN to find it. */
    static String mask(String iin) {
        return iin.length() <= 4 ? "****" : "********" + iin.substring(iin.length() - 4);
    }

    /** Validates one type block into the event; returns the block's main instant (a default for occurredAt). */
    private static Instant typeBlock(String type, Fields f, HealthRecordEvent e, ValidationPolicy policy) {
        f.rejectUnknown(BLOCK_FIELDS.get(blockName(type)));
        switch (type) {
            case "ATTACHMENT" -> {
                String bin = f.bin("polyclinicBin", true);
                String region = f.text("region", false, MAX_CODE);
                LocalDate from = f.eventDate("from", true);
                LocalDate to = f.date("to", false);
                f.periodOrder("from", from, "to", to);
                e.setAttachment(Attachment.newBuilder().setPolyclinicBin(orEmpty(bin)).setRegion(region)
                        .setFrom(orEpochDay(from)).setTo(to).build());
                return startOf(from, policy);
            }
            case "INSURANCE" -> {
                boolean insured = f.bool("insured", true);
                LocalDate from = f.eventDate("from", false);
                LocalDate to = f.date("to", false);
                f.periodOrder("from", from, "to", to);
                e.setInsurance(Insurance.newBuilder().setInsured(insured).setFrom(from).setTo(to).build());
                return startOf(from, policy);
            }
            case "ENCOUNTER" -> {
                String encounterId = f.text("encounterId", false, MAX_ID);
                String bin = f.bin("polyclinicBin", true);
                String doctorId = f.text("doctorId", false, MAX_ID);
                Instant start = f.eventInstant("start", true, f.birthDate);
                Instant end = f.eventInstant("end", false, f.birthDate);
                f.periodOrder("start", start, "end", end);
                String kind = f.oneOf("kind", true, ENCOUNTER_KINDS, true);
                String screening = f.oneOf("screening", false, SCREENINGS, true);
                if (screening != null && kind != null && !kind.equals("SCREENING")) {
                    f.error("SCREENING_WITHOUT_KIND", "screening",
                            "encounter.screening is only allowed with encounter.kind SCREENING (kind is " + kind + ")");
                }
                List<String> diagnoses = f.strings("diagnoses", MAX_CODE);
                for (int i = 0; i < diagnoses.size(); i++) {
                    String code = Icd10.normalise(diagnoses.get(i));
                    diagnoses.set(i, code);
                    if (!Icd10.hasValidShape(code)) {
                        f.error("ICD10_FORMAT", "diagnoses[" + i + "]", "encounter.diagnoses[" + i + "] \"" + code
                                + "\" is not an ICD-10 code (a letter, two digits, optionally . and up to 4 characters, e.g. I10, A15.0)");
                    }
                }
                List<String> services = f.strings("services", MAX_CODE);
                Boolean referral = f.optionalBool("referral");
                e.setEncounter(Encounter.newBuilder().setEncounterId(encounterId).setPolyclinicBin(orEmpty(bin))
                        .setDoctorId(doctorId).setStart(orEpoch(start)).setEnd(end).setKind(orEmpty(kind))
                        .setScreening(screening).setDiagnoses(diagnoses).setServices(services)
                        .setReferral(Boolean.TRUE.equals(referral)).build());
                return start;
            }
            case "OBSERVATION" -> {
                String code = f.text("code", true, MAX_CODE);
                String value = f.scalarText("value", MAX_TEXT);
                String unit = f.text("unit", false, MAX_CODE);
                Instant effectiveAt = f.eventInstant("effectiveAt", false, f.birthDate);
                e.setObservation(Observation.newBuilder().setCode(orEmpty(code)).setValue(value).setUnit(unit)
                        .setEffectiveAt(effectiveAt).build());
                return effectiveAt;
            }
            case "IMMUNIZATION" -> {
                String vaccine = f.text("vaccine", true, MAX_CODE);
                Integer dose = f.optionalInt("dose", 1, 20);
                LocalDate date = f.eventDate("date", true);
                e.setImmunization(Immunization.newBuilder().setVaccine(orEmpty(vaccine)).setDose(dose)
                        .setDate(orEpochDay(date)).build());
                return startOf(date, policy);
            }
            case "EXAM" -> {
                String purpose = f.oneOf("purpose", true, EXAM_PURPOSES, true);
                String conclusion = f.oneOf("conclusion", true, EXAM_CONCLUSIONS, true);
                LocalDate date = f.eventDate("date", true);
                String doctorId = f.text("doctorId", false, MAX_ID);
                String facilityBin = f.bin("facilityBin", false);
                e.setExam(Exam.newBuilder().setPurpose(orEmpty(purpose)).setConclusion(orEmpty(conclusion))
                        .setDate(orEpochDay(date)).setDoctorId(doctorId).setFacilityBin(facilityBin).build());
                return startOf(date, policy);
            }
            case "DISPENSARY" -> {
                String register = f.oneOf("register", true, REGISTERS, true);
                String status = f.oneOf("status", true, REGISTER_STATUSES, true);
                LocalDate date = f.eventDate("date", true);
                e.setDispensary(Dispensary.newBuilder().setRegister(orEmpty(register)).setStatus(orEmpty(status))
                        .setDate(orEpochDay(date)).build());
                return startOf(date, policy);
            }
            case "HOSPITALIZATION" -> {
                String facilityBin = f.bin("facilityBin", true);
                Instant admittedAt = f.eventInstant("admittedAt", true, f.birthDate);
                Instant dischargedAt = f.eventInstant("dischargedAt", false, f.birthDate);
                f.periodOrder("admittedAt", admittedAt, "dischargedAt", dischargedAt);
                e.setHospitalization(Hospitalization.newBuilder().setFacilityBin(orEmpty(facilityBin))
                        .setAdmittedAt(orEpoch(admittedAt)).setDischargedAt(dischargedAt).build());
                return admittedAt;
            }
            case "DEATH" -> {
                LocalDate date = f.eventDate("date", true);
                e.setDeath(Death.newBuilder().setDate(orEpochDay(date)).build());
                return startOf(date, policy);
            }
            default -> throw new IllegalArgumentException(type);
        }
    }

    private static Instant startOf(LocalDate date, ValidationPolicy policy) {
        return date == null ? null : date.atStartOfDay(policy.zone()).toInstant();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Instant orEpoch(Instant i) {
        return i == null ? Instant.EPOCH : i;
    }

    private static LocalDate orEpochDay(LocalDate d) {
        return d == null ? LocalDate.EPOCH : d;
    }

    /** Typed access to one JSON object, collecting errors with their field paths. */
    static final class Fields {
        final JsonNode node;
        private final List<RecordError> errors;
        private final String prefix;
        private final ValidationPolicy policy;
        final LocalDate birthDate;

        Fields(JsonNode node, List<RecordError> errors, String prefix, ValidationPolicy policy, LocalDate birthDate) {
            this.node = node;
            this.errors = errors;
            this.prefix = prefix;
            this.policy = policy;
            this.birthDate = birthDate;
        }

        void error(String code, String name, String message) {
            errors.add(new RecordError(code, prefix + name, message));
        }

        void rejectUnknown(Set<String> known) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    error("UNKNOWN_FIELD", name, "unknown field " + prefix + name + "; allowed: " + new TreeSet<>(known));
                }
            }
        }

        String text(String name, boolean required, int maxLength) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
                if (required) {
                    error("REQUIRED", name, prefix + name + " is required");
                }
                return null;
            }
            if (!v.isTextual()) {
                error("WRONG_TYPE", name, prefix + name + " must be a string");
                return null;
            }
            return checkedText(name, v.asText(), maxLength);
        }

        /** A string, or a number given as a JSON number (lab values arrive both ways). */
        String scalarText(String name, int maxLength) {
            JsonNode v = node.get(name);
            if (v != null && v.isNumber()) {
                return v.asText();
            }
            return text(name, false, maxLength);
        }

        private String checkedText(String name, String raw, int maxLength) {
            String s = raw.strip();
            if (s.length() > maxLength) {
                error("TOO_LONG", name, prefix + name + " has " + s.length() + " characters; at most " + maxLength + " are allowed");
                return null;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                    error("CONTROL_CHARACTER", name, prefix + name + " contains the control character U+"
                            + String.format("%04X", (int) c) + " at position " + i + "; remove it");
                    return null;
                }
                if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1)))) {
                    if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))) {
                        continue;
                    }
                    error("INVALID_UNICODE", name, prefix + name + " contains an unpaired surrogate at position " + i);
                    return null;
                }
            }
            return s;
        }

        String oneOf(String name, boolean required, Set<String> allowed, boolean upperCase) {
            String v = text(name, required, MAX_CODE);
            if (v == null) {
                return null;
            }
            String value = upperCase ? v.toUpperCase(Locale.ROOT) : v;
            if (!allowed.contains(value)) {
                error("INVALID_ENUM", name, prefix + name + " \"" + v + "\" is not one of " + allowed);
                return null;
            }
            return value;
        }

        String bin(String name, boolean required) {
            String v = text(name, required, 32);
            Optional<IdentifierProblem> problem = v == null ? Optional.empty() : Bin.problem(v);
            if (problem.isPresent()) {
                error(problem.get().code(), name, prefix + name + " \"" + v + "\" " + problem.get().reason());
                return null;
            }
            return v;
        }

        /** Dates are YYYY-MM-DD; DD.MM.YYYY (common in older MIS exports) is accepted and normalised. */
        LocalDate date(String name, boolean required) {
            String v = text(name, required, 32);
            if (v == null) {
                return null;
            }
            try {
                return v.indexOf('.') > 0 ? LocalDate.parse(v, DOTTED) : IsoDates.date(v);
            } catch (DateTimeParseException e) {
                error("INVALID_DATE", name, prefix + name + " \"" + v + "\" is not a date YYYY-MM-DD");
                return null;
            }
        }

        /** A date something happened: not in the future, not before the patient's birth. */
        LocalDate eventDate(String name, boolean required) {
            LocalDate d = date(name, required);
            if (d == null) {
                return null;
            }
            if (d.isAfter(policy.today())) {
                error("FUTURE_DATE", name, prefix + name + " " + d + " is in the future");
                return null;
            }
            if (birthDate != null && d.isBefore(birthDate)) {
                error("BEFORE_BIRTH", name, prefix + name + " " + d + " is before the patient's birth date");
                return null;
            }
            return d;
        }

        Instant instant(String name, boolean required) {
            String v = text(name, required, 40);
            if (v == null) {
                return null;
            }
            try {
                return IsoDates.instant(v);
            } catch (DateTimeParseException e) {
                error("INVALID_DATE", name, prefix + name + " \"" + v + "\" is not an ISO-8601 instant with offset, e.g. 2025-03-01T10:15:00+05:00");
                return null;
            }
        }

        Instant eventInstant(String name, boolean required, LocalDate birth) {
            Instant i = instant(name, required);
            if (i == null) {
                return null;
            }
            if (i.isAfter(policy.now().plus(policy.clockSkew()))) {
                error("FUTURE_DATE", name, prefix + name + " " + i + " is in the future");
                return null;
            }
            if (birth != null && policy.dateOf(i).isBefore(birth)) {
                error("BEFORE_BIRTH", name, prefix + name + " " + i + " is before the patient's birth date");
                return null;
            }
            return i;
        }

        <T extends Comparable<T>> void periodOrder(String fromName, T from, String toName, T to) {
            if (from != null && to != null && to.compareTo(from) < 0) {
                error("PERIOD_ORDER", toName, prefix + toName + " " + to + " is before " + prefix + fromName + " " + from);
            }
        }

        boolean bool(String name, boolean required) {
            Boolean b = optionalBool(name);
            if (b == null && required && (node.get(name) == null || node.get(name).isNull())) {
                error("REQUIRED", name, prefix + name + " is required");
            }
            return Boolean.TRUE.equals(b);
        }

        Boolean optionalBool(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isBoolean()) {
                error("WRONG_TYPE", name, prefix + name + " must be true or false");
                return null;
            }
            return v.asBoolean();
        }

        Integer optionalInt(String name, int min, int max) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                error("WRONG_TYPE", name, prefix + name + " must be a whole number");
                return null;
            }
            if (v.asInt() < min || v.asInt() > max) {
                error("OUT_OF_RANGE", name, prefix + name + " " + v.asInt() + " is not between " + min + " and " + max);
                return null;
            }
            return v.asInt();
        }

        List<String> strings(String name, int maxLength) {
            JsonNode v = node.get(name);
            List<String> out = new ArrayList<>();
            if (v == null || v.isNull()) {
                return out;
            }
            if (!v.isArray()) {
                error("WRONG_TYPE", name, prefix + name + " must be an array of strings");
                return out;
            }
            if (v.size() > MAX_LIST) {
                error("TOO_LONG", name, prefix + name + " has " + v.size() + " items; at most " + MAX_LIST + " are allowed");
                return out;
            }
            for (int i = 0; i < v.size(); i++) {
                String item = name + "[" + i + "]";
                if (!v.get(i).isTextual()) {
                    error("WRONG_TYPE", item, prefix + item + " must be a string");
                } else {
                    String s = checkedText(item, v.get(i).asText(), maxLength);
                    if (s != null) {
                        out.add(s);
                    }
                }
            }
            return out;
        }
    }
}
