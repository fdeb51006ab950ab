package kz.ehr.ingestion.fhir;

import java.util.Map;

/**
 * The code systems and identifier systems the FHIR intake reads. Standard systems where one exists (HL7 v3 ActCode
 * for the encounter class, v2-0203 for the medical record number, LOINC for vitals and labs, ICD-10, HL7's
 * observation categories); {@code http://ehr.kz/fhir/…} only for this platform's own enumerations (exam purposes,
 * dispensary registers, vaccines of the national calendar), which no international code system names.
 */
public final class FhirCodes {
    public static final String IIN = kz.ehr.identity.Iin.FHIR_SYSTEM;
    public static final String BIN = kz.ehr.identity.Bin.FHIR_SYSTEM;
    public static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";
    public static final String LOINC = "http://loinc.org";
    public static final String IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203";
    public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    /** HL7 v3 RoleCode: a RelatedPerson's relationship (MTH mother, NMTH natural mother). */
    public static final String ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
    /** HL7's extension tying a Patient.contact to a RelatedPerson (the patient index's FHIR read writes the mother so). */
    public static final String RELATED_PERSON_EXTENSION = "http://hl7.org/fhir/StructureDefinition/patient-relatedPerson";
    public static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    static final String EHR = "http://ehr.kz/fhir/CodeSystem/";
    /** SCREENING or VACCINATION on Encounter.type (the class says VISIT, HOME_VISIT or TELEMEDICINE). */
    public static final String ENCOUNTER_KIND = EHR + "encounter-kind";
    public static final String SCREENING = EHR + "screening";
    /** Tariff service codes, on Encounter.type. */
    public static final String SERVICE = EHR + "service";
    public static final String OBSERVATION = EHR + "observation";
    public static final String VACCINE = EHR + "vaccine";
    public static final String EXAM_PURPOSE = EHR + "exam-purpose";
    public static final String EXAM_CONCLUSION = EHR + "exam-conclusion";
    /** ATTACHMENT, or a dispensary register (PSYCHIATRIC, NARCOLOGICAL, TB), on EpisodeOfCare.type. */
    public static final String EPISODE_TYPE = EHR + "episode-of-care-type";
    /** Our stable error codes (the JSON path's), in OperationOutcome.issue.details. */
    public static final String INGESTION_ERROR = EHR + "ingestion-error";

    /** Encounter.class (ActCode) → encounter kind; the inpatient classes make a HOSPITALIZATION instead. */
    static final Map<String, String> KIND_BY_CLASS = Map.of("AMB", "VISIT", "HH", "HOME_VISIT", "VR", "TELEMEDICINE");
    static final java.util.Set<String> INPATIENT_CLASSES = java.util.Set.of("IMP", "ACUTE", "NONAC");

    /** LOINC codes of vitals and the common labs → the observation codes of the JSON path. */
    static final Map<String, String> OBSERVATION_BY_LOINC = Map.ofEntries(
            Map.entry("8480-6", "SYSTOLIC_BP"), Map.entry("8462-4", "DIASTOLIC_BP"), Map.entry("8867-4", "HEART_RATE"),
            Map.entry("9279-1", "RESPIRATORY_RATE"), Map.entry("8310-5", "BODY_TEMPERATURE"),
            Map.entry("29463-7", "BODY_WEIGHT"), Map.entry("8302-2", "BODY_HEIGHT"), Map.entry("39156-5", "BMI"),
            Map.entry("59408-5", "SPO2"), Map.entry("718-7", "HGB"), Map.entry("15074-8", "GLUCOSE"),
            Map.entry("2339-0", "GLUCOSE"));

    /** v3 ObservationInterpretation → the fluorography values the certificate rules read (NORMAL, ABNORMAL). */
    static final Map<String, String> VALUE_BY_INTERPRETATION = Map.of("N", "NORMAL", "A", "ABNORMAL", "AA", "ABNORMAL");

    /** A relationship that says mother: v3-RoleCode MTH (mother) or NMTH (natural mother). */
    static boolean isMother(org.hl7.fhir.r4.model.CodeableConcept relationship) {
        return BundleMapper.hasCoding(relationship, ROLE_CODE, "MTH") || BundleMapper.hasCoding(relationship, ROLE_CODE, "NMTH");
    }

    private FhirCodes() {
    }
}
