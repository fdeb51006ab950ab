package kz.ehr.ingestion.fhir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import kz.ehr.ingestion.fhir.BundleReader.Entry;
import kz.ehr.ingestion.intake.IncomingRecord;

/**
 * Turns a bundle's entries into provider records (API.md) for the intake, which then validates, dedupes and
 * publishes them exactly as JSON records. Each record-making entry (Patient, Encounter, Immunization,
 * Observation, EpisodeOfCare, Coverage) becomes one record, a Patient with a death date two; Organization,
 * Practitioner and Condition are context that records read through references; a RelatedPerson that is the
 * patient's mother (v3-RoleCode MTH or NMTH) gives a newborn's {@code patient.motherIin}. The mapping table is in the
 * module README. The mapping rejects only what cannot be made into a record at all (an unsupported resource, a
 * reference to no entry, a code it does not know); every rule about values stays in the intake's validator.
 */
final class BundleMapper {
    static final Set<String> CONTEXT = Set.of("Organization", "Practitioner", "Condition", "RelatedPerson");
    /** The resources that make records ({@link #records}). */
    static final Set<String> RECORDS = Set.of("Patient", "Encounter", "Immunization", "Observation", "EpisodeOfCare", "Coverage");

    /** Whether the intake takes this resource type at all (as a record or as context). */
    static boolean takes(String type) {
        return RECORDS.contains(type) || CONTEXT.contains(type);
    }

    /** An entry could not be made into a record; the issue says why. */
    private static final class Unmappable extends Exception {
        final Issue issue;

        Unmappable(String code, String expression, String message) {
            super(message, null, false, false);
            this.issue = Issue.error(code, expression, message);
        }
    }

    /** What the bundle becomes: records for the intake, entries that could not become one, and who read what. */
    static final class Plan {
        final List<MappedRecord> records = new ArrayList<>();
        /** Record-making entries that could not be mapped: rejected through the intake with this issue. */
        final Map<Integer, List<Issue>> failures = new TreeMap<>();
        /** Entry → the entries that refer to it (whether or not they could be made into records). */
        final Map<Integer, Set<Integer>> readers = new HashMap<>();
        /** Everything handed to the intake, in entry order. */
        final List<IncomingRecord> incoming = new ArrayList<>();
    }

    private final List<Entry> entries;
    private final Map<String, Entry> byUrl = new HashMap<>();
    /** Patient entry → the RelatedPerson entry naming that patient's mother. */
    private final Map<Integer, Entry> mothers = new HashMap<>();
    private int derived;
    /** The entries the entry being mapped refers to. */
    private Set<Integer> read = new TreeSet<>();

    BundleMapper(List<Entry> entries) {
        this.entries = entries;
        this.derived = entries.size();
        for (Entry e : entries) {
            if (e.fullUrl() != null && !e.fullUrl().isBlank()) {
                byUrl.put(e.fullUrl(), e);
            }
            if (e.resource() != null && e.resource().getIdElement().hasIdPart()) {
                byUrl.putIfAbsent(e.resource().fhirType() + "/" + e.resource().getIdElement().getIdPart(), e);
            }
        }
        for (Entry e : entries) {
            if (e.resource() instanceof RelatedPerson rp && e.problems().isEmpty() && isMother(rp)) {
                Entry child = lookUp(rp.getPatient().getReference());
                if (child != null && child.resource() instanceof Patient) {
                    mothers.putIfAbsent(child.index(), e);
                }
            }
        }
    }

    private static boolean isMother(RelatedPerson rp) {
        return rp.getRelationship().stream().anyMatch(FhirCodes::isMother);
    }

    Plan map() {
        Plan plan = new Plan();
        for (Entry e : entries) {
            String type = e.resource() != null ? e.resource().fhirType()
                    : e.json() == null ? null : e.json().path("resourceType").asText(null);
            if (type != null && CONTEXT.contains(type)) {
                continue; // answered from the records that read it
            }
            List<Issue> failure = e.problems();
            List<MappedRecord> made = List.of();
            read = new TreeSet<>();
            if (failure.isEmpty()) {
                try {
                    checkMethod(e);
                    made = records(e);
                } catch (Unmappable u) {
                    failure = List.of(u.issue);
                }
            }
            for (int target : read) {
                plan.readers.computeIfAbsent(target, k -> new TreeSet<>()).add(e.index());
            }
            if (!failure.isEmpty()) {
                plan.failures.put(e.index(), failure);
                Issue first = failure.get(0);
                plan.incoming.add(new IncomingRecord(e.index(), e.json() == null ? "null" : e.json().toString(), null,
                        first.asRecordError()));
                continue;
            }
            for (MappedRecord r : made) {
                plan.records.add(r);
                plan.incoming.add(new IncomingRecord(r.index, r.json.toString(), r.json, null));
            }
        }
        return plan;
    }

    private static void checkMethod(Entry e) throws Unmappable {
        if (e.method() != null && !e.method().equals("POST") && !e.method().equals("PUT")) {
            throw new Unmappable("UNSUPPORTED_METHOD", "Bundle.entry[" + e.index() + "].request.method",
                    "request.method " + e.method() + " is not supported: records are submitted with POST or PUT");
        }
    }

    private List<MappedRecord> records(Entry e) throws Unmappable {
        Resource r = e.resource();
        return switch (r.fhirType()) {
            case "Patient" -> patient(e, (Patient) r);
            case "Encounter" -> List.of(encounter(e, (Encounter) r));
            case "Immunization" -> List.of(immunization(e, (Immunization) r));
            case "Observation" -> List.of(observation(e, (Observation) r));
            case "EpisodeOfCare" -> List.of(episode(e, (EpisodeOfCare) r));
            case "Coverage" -> List.of(coverage(e, (Coverage) r));
            default -> throw new Unmappable("UNSUPPORTED_RESOURCE", e.path(), r.fhirType() + " is not taken by this "
                    + "intake; send Patient, Encounter, Immunization, Observation, EpisodeOfCare or Coverage records, with "
                    + "Organization, Practitioner, Condition and a newborn's mother (RelatedPerson) as the entries they refer to");
        };
    }

    /** {@code Type/id} when the resource has an id, else the entry's fullUrl: both are stable across resends. */
    private static String recordId(Entry e) {
        if (e.resource().getIdElement().hasIdPart()) {
            return e.resource().fhirType() + "/" + e.resource().getIdElement().getIdPart();
        }
        return e.fullUrl();
    }

    private MappedRecord record(Entry e, String type) {
        String idPath = e.resource().getIdElement().hasIdPart() ? e.path() + ".id" : "Bundle.entry[" + e.index() + "].fullUrl";
        return new MappedRecord(e.index(), e.index(), type, recordId(e), idPath);
    }

    // ---- Patient: PATIENT, and DEATH from deceased[x] ----

    private List<MappedRecord> patient(Entry e, Patient p) {
        MappedRecord person = record(e, "PATIENT");
        patientBlock(person, e, p);
        if (!(p.hasDeceasedDateTimeType() || (p.hasDeceasedBooleanType() && p.getDeceasedBooleanType().booleanValue()))) {
            return List.of(person);
        }
        String path = person.expression("recordId");
        MappedRecord death = new MappedRecord(e.index(), derived++, "DEATH", recordId(e) == null ? null : recordId(e) + "/death", path);
        patientBlock(death, e, p);
        if (p.hasDeceasedDateTimeType()) {
            death.put("date", date(p.getDeceasedDateTimeType()), e.path() + ".deceasedDateTime");
        } else {
            death.put("date", null, e.path() + ".deceasedBoolean");
        }
        return List.of(person, death);
    }

    /** The patient a record is about: the Patient entry its reference names. */
    private void subject(MappedRecord rec, Reference ref, String refPath) throws Unmappable {
        if (ref == null || !ref.hasReference()) {
            throw new Unmappable("REQUIRED", refPath, refPath + " must refer to the Patient entry of this bundle");
        }
        Entry target = resolve(ref, refPath, "Patient");
        patientBlock(rec, target, (Patient) target.resource());
        rec.source("patient", refPath);
    }

    /**
     * The patient block, and a newborn's {@code motherIin} from the RelatedPerson entry that names the patient's
     * mother: its identifier with the IIN system (R4's Patient.contact has no identifier, and the
     * patient-mothersMaidenName extension is a name, not a person).
     */
    private void patientBlock(MappedRecord rec, Entry e, Patient p) {
        PatientBlock.fill(rec, e, p);
        Entry mother = mothers.get(e.index());
        if (mother == null) {
            PatientBlock.motherFromPatient(rec, e, p);
            return;
        }
        read.add(mother.index());
        RelatedPerson rp = (RelatedPerson) mother.resource();
        rec.source("patient.motherIin", mother.path() + ".identifier");
        for (int i = 0; i < rp.getIdentifier().size(); i++) {
            if (FhirCodes.IIN.equals(rp.getIdentifier().get(i).getSystem()) && rp.getIdentifier().get(i).hasValue()) {
                ((ObjectNode) rec.json.get("patient")).put("motherIin",
                        rp.getIdentifier().get(i).getValue());
                rec.source("patient.motherIin", mother.path() + ".identifier[" + i + "].value");
                return;
            }
        }
    }

    // ---- Encounter: ENCOUNTER, or HOSPITALIZATION for an inpatient class ----

    private MappedRecord encounter(Entry e, Encounter enc) throws Unmappable {
        String at = e.path();
        String cls = enc.getClass_().getCode();
        boolean inpatient = cls != null && FhirCodes.INPATIENT_CLASSES.contains(cls);
        MappedRecord rec = record(e, inpatient ? "HOSPITALIZATION" : "ENCOUNTER");
        subject(rec, enc.getSubject(), at + ".subject");
        String start = enc.getPeriod().getStartElement().getValueAsString();
        String end = enc.getPeriod().getEndElement().getValueAsString();
        if (inpatient) {
            bin(rec, "facilityBin", enc.getServiceProvider(), at + ".serviceProvider", false);
            rec.put("admittedAt", start, at + ".period.start");
            rec.put("dischargedAt", end, at + ".period.end");
            return rec;
        }
        if (enc.hasIdentifier()) {
            rec.put("encounterId", enc.getIdentifierFirstRep().getValue(), at + ".identifier[0].value");
        } else {
            rec.put("encounterId", enc.getIdElement().getIdPart(), at + ".id");
        }
        bin(rec, "polyclinicBin", enc.getServiceProvider(), at + ".serviceProvider", false);
        for (int i = 0; i < enc.getParticipant().size(); i++) {
            if (enc.getParticipant().get(i).hasIndividual()) {
                doctor(rec, enc.getParticipant().get(i).getIndividual(), at + ".participant[" + i + "].individual");
                break;
            }
        }
        rec.put("start", start, at + ".period.start");
        rec.put("end", end, at + ".period.end");
        String[] kind = coded(enc.getType(), FhirCodes.ENCOUNTER_KIND, at + ".type");
        if (kind == null && cls != null) {
            kind = new String[]{FhirCodes.KIND_BY_CLASS.getOrDefault(cls, cls), at + ".class.code"};
        }
        rec.put("kind", kind == null ? null : kind[0], kind == null ? at + ".class" : kind[1]);
        String[] screening = coded(enc.getType(), FhirCodes.SCREENING, at + ".type");
        if (screening != null) {
            rec.put("screening", screening[0], screening[1]);
        }
        ArrayNode services = rec.block().putArray("services");
        for (int t = 0; t < enc.getType().size(); t++) {
            List<Coding> codings = enc.getType().get(t).getCoding();
            for (int c = 0; c < codings.size(); c++) {
                if (FhirCodes.SERVICE.equals(codings.get(c).getSystem())) {
                    rec.source("encounter.services[" + services.size() + "]", at + ".type[" + t + "].coding[" + c + "].code");
                    services.add(codings.get(c).getCode());
                }
            }
        }
        ArrayNode diagnoses = rec.block().putArray("diagnoses");
        for (int d = 0; d < enc.getDiagnosis().size(); d++) {
            diagnosis(rec, diagnoses, enc.getDiagnosis().get(d).getCondition(), at + ".diagnosis[" + d + "].condition");
        }
        for (int r = 0; r < enc.getReasonCode().size(); r++) {
            List<Coding> codings = enc.getReasonCode().get(r).getCoding();
            for (int c = 0; c < codings.size(); c++) {
                if (FhirCodes.ICD10.equals(codings.get(c).getSystem())) {
                    rec.source("encounter.diagnoses[" + diagnoses.size() + "]", at + ".reasonCode[" + r + "].coding[" + c + "].code");
                    diagnoses.add(codings.get(c).getCode());
                }
            }
        }
        for (int r = 0; r < enc.getReasonReference().size(); r++) {
            diagnosis(rec, diagnoses, enc.getReasonReference().get(r), at + ".reasonReference[" + r + "]");
        }
        if (enc.hasBasedOn()) {
            rec.block().put("referral", true);
            rec.source("encounter.referral", at + ".basedOn");
        }
        return rec;
    }

    /** A Condition the encounter names: its ICD-10 coding. */
    private void diagnosis(MappedRecord rec, ArrayNode diagnoses, Reference ref, String refPath) throws Unmappable {
        Entry target = resolve(ref, refPath, "Condition");
        Condition c = (Condition) target.resource();
        for (int i = 0; i < c.getCode().getCoding().size(); i++) {
            if (FhirCodes.ICD10.equals(c.getCode().getCoding().get(i).getSystem())) {
                rec.source("encounter.diagnoses[" + diagnoses.size() + "]", target.path() + ".code.coding[" + i + "].code");
                diagnoses.add(c.getCode().getCoding().get(i).getCode());
                return;
            }
        }
        throw new Unmappable("UNKNOWN_CODE", target.path() + ".code", "a diagnosis needs a Condition.code coding with "
                + "system " + FhirCodes.ICD10);
    }

    // ---- Immunization → IMMUNIZATION ----

    private MappedRecord immunization(Entry e, Immunization imm) throws Unmappable {
        String at = e.path();
        if (imm.getStatus() == Immunization.ImmunizationStatus.NOTDONE
                || imm.getStatus() == Immunization.ImmunizationStatus.ENTEREDINERROR) {
            throw new Unmappable("INVALID_ENUM", at + ".status", "an Immunization with status " + imm.getStatus().toCode()
                    + " records no vaccination; send completed ones");
        }
        MappedRecord rec = record(e, "IMMUNIZATION");
        subject(rec, imm.getPatient(), at + ".patient");
        String[] vaccine = coded(imm.getVaccineCode(), FhirCodes.VACCINE, at + ".vaccineCode");
        rec.put("vaccine", vaccine == null ? null : vaccine[0], vaccine == null ? at + ".vaccineCode" : vaccine[1]);
        if (imm.hasProtocolApplied()) {
            Immunization.ImmunizationProtocolAppliedComponent pa = imm.getProtocolAppliedFirstRep();
            if (pa.hasDoseNumberPositiveIntType()) {
                rec.block().put("dose", pa.getDoseNumberPositiveIntType().getValue());
                rec.source("immunization.dose", at + ".protocolApplied[0].doseNumberPositiveInt");
            } else if (pa.hasDoseNumberStringType()) {
                rec.put("dose", pa.getDoseNumberStringType().getValue(), at + ".protocolApplied[0].doseNumberString");
            }
        }
        rec.put("date", imm.hasOccurrenceDateTimeType() ? date(imm.getOccurrenceDateTimeType())
                : imm.hasOccurrenceStringType() ? imm.getOccurrenceStringType().getValue() : null, at + ".occurrence");
        return rec;
    }

    // ---- Observation → OBSERVATION, or EXAM (category exam, code an exam purpose) ----

    private MappedRecord observation(Entry e, Observation obs) throws Unmappable {
        String at = e.path();
        if (obs.getStatus() == Observation.ObservationStatus.ENTEREDINERROR
                || obs.getStatus() == Observation.ObservationStatus.CANCELLED) {
            throw new Unmappable("INVALID_ENUM", at + ".status", "an Observation with status " + obs.getStatus().toCode()
                    + " records nothing; send final, amended or corrected ones");
        }
        String[] purpose = coded(obs.getCode(), FhirCodes.EXAM_PURPOSE, at + ".code");
        boolean exam = purpose != null && obs.getCategory().stream().anyMatch(c -> hasCoding(c, FhirCodes.OBSERVATION_CATEGORY, "exam"));
        MappedRecord rec = record(e, exam ? "EXAM" : "OBSERVATION");
        subject(rec, obs.getSubject(), at + ".subject");
        if (exam) {
            rec.put("purpose", purpose[0], purpose[1]);
            String[] conclusion = obs.hasValueCodeableConcept()
                    ? coded(obs.getValueCodeableConcept(), FhirCodes.EXAM_CONCLUSION, at + ".valueCodeableConcept") : null;
            rec.put("conclusion", conclusion == null ? null : conclusion[0], conclusion == null ? at + ".value" : conclusion[1]);
            rec.put("date", obs.hasEffectiveDateTimeType() ? date(obs.getEffectiveDateTimeType()) : null, at + ".effective");
            for (int i = 0; i < obs.getPerformer().size(); i++) {
                Reference ref = obs.getPerformer().get(i);
                String refPath = at + ".performer[" + i + "]";
                if (isTo(ref, "Practitioner") && !rec.block().has("doctorId")) {
                    doctor(rec, ref, refPath);
                } else if (isTo(ref, "Organization") && !rec.block().has("facilityBin")) {
                    bin(rec, "facilityBin", ref, refPath, false);
                }
            }
            return rec;
        }
        String code = null;
        String codePath = at + ".code";
        List<Coding> codings = obs.getCode().getCoding();
        for (int i = 0; i < codings.size() && code == null; i++) {
            if (FhirCodes.OBSERVATION.equals(codings.get(i).getSystem())) {
                code = codings.get(i).getCode();
                codePath = at + ".code.coding[" + i + "].code";
            }
        }
        for (int i = 0; i < codings.size() && code == null; i++) {
            if (FhirCodes.LOINC.equals(codings.get(i).getSystem())) {
                code = FhirCodes.OBSERVATION_BY_LOINC.get(codings.get(i).getCode());
                codePath = at + ".code.coding[" + i + "].code";
            }
        }
        if (code == null) {
            throw new Unmappable("UNKNOWN_CODE", at + ".code", "Observation.code needs a coding with system "
                    + FhirCodes.OBSERVATION + " (e.g. FLUOROGRAPHY) or one of the LOINC codes "
                    + new TreeSet<>(FhirCodes.OBSERVATION_BY_LOINC.keySet()));
        }
        rec.put("code", code, codePath);
        if (obs.hasValueQuantity()) {
            rec.put("value", obs.getValueQuantity().getValueElement().getValueAsString(), at + ".valueQuantity.value");
            String unit = obs.getValueQuantity().hasUnit() ? obs.getValueQuantity().getUnit() : obs.getValueQuantity().getCode();
            rec.put("unit", unit, at + ".valueQuantity.unit");
        } else if (obs.hasValueCodeableConcept()) {
            CodeableConcept v = obs.getValueCodeableConcept();
            rec.put("value", v.hasCoding() ? v.getCodingFirstRep().getCode() : v.getText(), at + ".valueCodeableConcept");
        } else if (obs.hasValue() && obs.getValue().isPrimitive()) {
            rec.put("value", obs.getValue().primitiveValue(), at + ".value" + capitalised(obs.getValue().fhirType()));
        } else {
            for (int i = 0; i < obs.getInterpretation().size(); i++) {
                String[] interpreted = coded(obs.getInterpretation().get(i), FhirCodes.INTERPRETATION, at + ".interpretation[" + i + "]");
                if (interpreted != null && FhirCodes.VALUE_BY_INTERPRETATION.containsKey(interpreted[0])) {
                    rec.put("value", FhirCodes.VALUE_BY_INTERPRETATION.get(interpreted[0]), at + ".interpretation[" + i + "]");
                    break;
                }
            }
        }
        String effective = obs.hasEffectiveDateTimeType() ? obs.getEffectiveDateTimeType().getValueAsString()
                : obs.hasEffectiveInstantType() ? obs.getEffectiveInstantType().getValueAsString()
                : obs.hasEffectivePeriod() ? obs.getEffectivePeriod().getStartElement().getValueAsString() : null;
        rec.put("effectiveAt", effective, at + ".effective");
        return rec;
    }

    // ---- EpisodeOfCare → ATTACHMENT or DISPENSARY; Coverage → INSURANCE ----

    private MappedRecord episode(Entry e, EpisodeOfCare ep) throws Unmappable {
        String at = e.path();
        String[] type = coded(ep.getType(), FhirCodes.EPISODE_TYPE, at + ".type");
        if (type == null) {
            throw new Unmappable("UNKNOWN_CODE", at + ".type", "EpisodeOfCare.type needs a coding with system "
                    + FhirCodes.EPISODE_TYPE + ": ATTACHMENT, or a dispensary register (PSYCHIATRIC, NARCOLOGICAL, TB)");
        }
        String from = ep.getPeriod().hasStart() ? date(ep.getPeriod().getStartElement()) : null;
        String to = ep.getPeriod().hasEnd() ? date(ep.getPeriod().getEndElement()) : null;
        if (type[0].equals("ATTACHMENT")) {
            MappedRecord rec = record(e, "ATTACHMENT");
            subject(rec, ep.getPatient(), at + ".patient");
            bin(rec, "polyclinicBin", ep.getManagingOrganization(), at + ".managingOrganization", true);
            rec.put("from", from, at + ".period.start");
            rec.put("to", to, at + ".period.end");
            return rec;
        }
        MappedRecord rec = record(e, "DISPENSARY");
        subject(rec, ep.getPatient(), at + ".patient");
        rec.put("register", type[0], type[1]);
        EpisodeOfCare.EpisodeOfCareStatus status = ep.getStatus();
        if (status == EpisodeOfCare.EpisodeOfCareStatus.FINISHED) {
            rec.put("status", "DEREGISTERED", at + ".status");
            rec.put("date", to, at + ".period.end");
        } else {
            rec.put("status", status == EpisodeOfCare.EpisodeOfCareStatus.ACTIVE || status == EpisodeOfCare.EpisodeOfCareStatus.ONHOLD
                    ? "REGISTERED" : status == null ? null : status.toCode(), at + ".status");
            rec.put("date", from, at + ".period.start");
        }
        return rec;
    }

    private MappedRecord coverage(Entry e, Coverage cov) throws Unmappable {
        String at = e.path();
        if (cov.getStatus() != Coverage.CoverageStatus.ACTIVE && cov.getStatus() != Coverage.CoverageStatus.CANCELLED) {
            throw new Unmappable("INVALID_ENUM", at + ".status", "Coverage.status must be active (insured) or cancelled "
                    + "(not insured); found " + (cov.getStatus() == null ? "none" : cov.getStatus().toCode()));
        }
        MappedRecord rec = record(e, "INSURANCE");
        subject(rec, cov.getBeneficiary(), at + ".beneficiary");
        rec.block().put("insured", cov.getStatus() == Coverage.CoverageStatus.ACTIVE);
        rec.source("insurance.insured", at + ".status");
        rec.put("from", cov.getPeriod().hasStart() ? date(cov.getPeriod().getStartElement()) : null, at + ".period.start");
        rec.put("to", cov.getPeriod().hasEnd() ? date(cov.getPeriod().getEndElement()) : null, at + ".period.end");
        return rec;
    }

    // ---- references to context entries ----

    /** A facility's BIN: the Organization entry's identifier with the BIN system, or a logical reference by BIN. */
    private void bin(MappedRecord rec, String field, Reference ref, String refPath, boolean withRegion) throws Unmappable {
        if (ref == null || ref.isEmpty()) {
            rec.put(field, null, refPath);
            return;
        }
        if (!ref.hasReference()) {
            boolean byBin = FhirCodes.BIN.equals(ref.getIdentifier().getSystem());
            rec.put(field, byBin ? ref.getIdentifier().getValue() : null, refPath + ".identifier" + (byBin ? ".value" : ".system"));
            return;
        }
        Entry target = resolve(ref, refPath, "Organization");
        Organization org = (Organization) target.resource();
        String value = null;
        String path = target.path() + ".identifier";
        for (int i = 0; i < org.getIdentifier().size(); i++) {
            if (FhirCodes.BIN.equals(org.getIdentifier().get(i).getSystem())) {
                value = org.getIdentifier().get(i).getValue();
                path = target.path() + ".identifier[" + i + "].value";
                break;
            }
        }
        rec.put(field, value, path);
        if (withRegion && org.hasAddress() && org.getAddressFirstRep().hasState()) {
            rec.put("region", org.getAddressFirstRep().getState(), target.path() + ".address[0].state");
        }
    }

    /** A doctor's provider id: the Practitioner entry's first identifier (else its id), or a logical reference. */
    private void doctor(MappedRecord rec, Reference ref, String refPath) throws Unmappable {
        if (!ref.hasReference()) {
            rec.put("doctorId", ref.getIdentifier().getValue(), refPath + ".identifier.value");
            return;
        }
        Entry target = resolve(ref, refPath, "Practitioner");
        Practitioner pr = (Practitioner) target.resource();
        if (pr.hasIdentifier()) {
            rec.put("doctorId", pr.getIdentifierFirstRep().getValue(), target.path() + ".identifier[0].value");
        } else {
            rec.put("doctorId", pr.getIdElement().getIdPart(), target.path() + ".id");
        }
    }

    /** The entry a reference names, by fullUrl or by {@code Type/id}; it must be of the expected type and readable. */
    private Entry resolve(Reference ref, String refPath, String expectedType) throws Unmappable {
        String target = ref.getReference();
        Entry e = lookUp(target);
        if (e == null) {
            throw new Unmappable("REFERENCE_NOT_FOUND", refPath + ".reference", refPath + ".reference \"" + target
                    + "\" names no entry of this bundle; include the " + expectedType + " (by fullUrl or " + expectedType + "/id)");
        }
        if (e.resource() == null || !e.problems().isEmpty()) {
            throw new Unmappable("REFERENCE_NOT_FOUND", refPath + ".reference", refPath + ".reference names entry "
                    + e.index() + ", which could not be read (see its own answer)");
        }
        if (!e.resource().fhirType().equals(expectedType)) {
            throw new Unmappable("REFERENCE_NOT_FOUND", refPath + ".reference", refPath + ".reference must name a "
                    + expectedType + ", not a " + e.resource().fhirType());
        }
        read.add(e.index());
        return e;
    }

    /** The entry a reference names, by fullUrl or by {@code Type/id} (also at the end of an absolute URL); null if none. */
    private Entry lookUp(String target) {
        Entry e = target == null ? null : byUrl.get(target);
        if (e == null && target != null) {
            String[] parts = target.replaceAll("/_history/.*$", "").split("/");
            if (parts.length >= 2) {
                e = byUrl.get(parts[parts.length - 2] + "/" + parts[parts.length - 1]);
            }
        }
        return e;
    }

    private boolean isTo(Reference ref, String type) {
        if (ref.hasType()) {
            return type.equals(ref.getType());
        }
        if (!ref.hasReference()) {
            return false;
        }
        Entry e = byUrl.get(ref.getReference());
        return e != null && e.resource() != null ? e.resource().fhirType().equals(type) : ref.getReference().startsWith(type + "/");
    }

    // ---- small helpers ----

    /** The first coding with {@code system} in {@code concepts}: its code and its FHIRPath; null if none. */
    private static String[] coded(List<CodeableConcept> concepts, String system, String path) {
        for (int t = 0; t < concepts.size(); t++) {
            List<Coding> codings = concepts.get(t).getCoding();
            for (int c = 0; c < codings.size(); c++) {
                if (system.equals(codings.get(c).getSystem())) {
                    return new String[]{codings.get(c).getCode(), path + "[" + t + "].coding[" + c + "].code"};
                }
            }
        }
        return null;
    }

    private static String[] coded(CodeableConcept concept, String system, String path) {
        for (int c = 0; c < concept.getCoding().size(); c++) {
            if (system.equals(concept.getCoding().get(c).getSystem())) {
                return new String[]{concept.getCoding().get(c).getCode(), path + ".coding[" + c + "].code"};
            }
        }
        return null;
    }

    static boolean hasCoding(CodeableConcept concept, String system, String code) {
        return concept.getCoding().stream().anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    /** A dateTime's calendar date as written (its local date, whatever the offset). */
    private static String date(BaseDateTimeType value) {
        String s = value.getValueAsString();
        return s == null || s.length() <= 10 ? s : s.substring(0, 10);
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
