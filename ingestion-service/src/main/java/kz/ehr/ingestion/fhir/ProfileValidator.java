package kz.ehr.ingestion.fhir;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;

/**
 * HAPI FHIR's profile validator ({@link FhirInstanceValidator}) over the R4 specification shipped in
 * {@code hapi-fhir-validation-resources-r4}, run on each entry's resource after the parser accepted it: it finds
 * what the parser lets through (a missing required element such as {@code Encounter.status}, a cardinality, a
 * code outside a required value set, a failed invariant). Built once (loading the specification takes tens of
 * seconds and about 300 MiB of heap); thread-safe, shared by every request. Each validation costs milliseconds,
 * most of them HAPI's core validator re-reading its OID table for every resource (docs/benchmarks).
 * <p>
 * Offline by design: no terminology server and no reference fetching. A code system the specification does not
 * carry (LOINC, ICD-10, this platform's {@code http://ehr.kz/fhir/CodeSystem/…}) cannot be checked here, so it is
 * at most a warning from HAPI, and only ERROR/FATAL messages become issues: warnings and information (best
 * practice, unknown code systems, extensible bindings) never reject an entry and are not reported. What is
 * reported carries the JSON path's code where one fits and the FHIRPath of the element at fault.
 */
final class ProfileValidator {
    /** A profile rule that none of the JSON path's codes describes (an invariant such as pat-1 or org-1). */
    static final String FHIR_INVALID = "FHIR_INVALID";

    private static final Pattern MISSING = Pattern.compile("^([A-Za-z][A-Za-z0-9.\\[\\]]*): minimum required = \\d+");

    private final FhirValidator validator;

    ProfileValidator(FhirContext fhir) {
        UnknownCodeSystemWarningValidationSupport unknownSystems = new UnknownCodeSystemWarningValidationSupport(fhir);
        unknownSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir),
                unknownSystems);
        FhirInstanceValidator instance = new FhirInstanceValidator(chain);
        instance.setAnyExtensionsAllowed(true);
        instance.setErrorForUnknownProfiles(false);
        instance.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        instance.setNoExtensibleWarnings(true);
        validator = fhir.newValidator();
        validator.setValidateAgainstStandardSchema(false);
        validator.setValidateAgainstStandardSchematron(false);
        validator.registerValidatorModule(instance);
    }

    /** The errors in {@code resource}, as issues at {@code path} (the entry's {@code Bundle.entry[i].resource}). */
    List<Issue> validate(Resource resource, String path) {
        return issues(validator.validateWithResult(resource), resource.fhirType(), path);
    }

    static List<Issue> issues(ValidationResult result, String type, String path) {
        List<Issue> out = new ArrayList<>();
        for (SingleValidationMessage m : result.getMessages()) {
            if (m.getSeverity() != ResultSeverityEnum.ERROR && m.getSeverity() != ResultSeverityEnum.FATAL) {
                continue;
            }
            String location = m.getLocationString();
            String code = code(m.getMessageId());
            if ("REQUIRED".equals(code)) {
                Matcher missing = MISSING.matcher(m.getMessage());
                if (missing.find()) {
                    location = missing.group(1);
                }
            }
            out.add(Issue.error(code, expression(location, type, path), m.getMessage()));
        }
        return out;
    }

    /** The validator's location ({@code Patient.name[0].given[0]}) below the entry's path. */
    static String expression(String location, String type, String path) {
        if (location == null || location.isBlank() || location.equals(type)) {
            return path;
        }
        String below = location.startsWith(type + ".") ? location.substring(type.length()) : "." + location;
        return path + below;
    }

    /**
     * HAPI's message id (the core validator's i18n key) → the JSON path's code where one fits: a missing required
     * element is REQUIRED, a code outside a required value set INVALID_ENUM, too many repetitions WRONG_TYPE (as
     * the parser calls an array where one value belongs); anything else (an invariant such as pat-1) FHIR_INVALID.
     */
    static String code(String messageId) {
        if (messageId == null) {
            return FHIR_INVALID;
        }
        if (messageId.startsWith("Validation_VAL_Profile_Minimum")) {
            return "REQUIRED";
        }
        if (messageId.startsWith("Terminology_")) {
            return "INVALID_ENUM";
        }
        if (messageId.startsWith("Validation_VAL_Profile_Maximum")) {
            return "WRONG_TYPE";
        }
        return FHIR_INVALID;
    }

    /**
     * Validates one small resource of each type the intake takes: HAPI loads the specification's structure
     * definitions, value sets and code systems on first use, which is the expensive part.
     */
    void warmUp() {
        Patient patient = new Patient();
        patient.setId("warm-up");
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        Reference subject = new Reference("Patient/warm-up");
        Encounter encounter = new Encounter();
        encounter.setStatus(Encounter.EncounterStatus.FINISHED).getClass_()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode").setCode("AMB");
        encounter.setSubject(subject);
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL).setSubject(subject).getCode().addCoding()
                .setSystem("http://loinc.org").setCode("8480-6");
        List.<Resource>of(patient, encounter, observation, new Immunization(), new EpisodeOfCare(), new Coverage(),
                        new Organization(), new Practitioner(), new Condition(), new RelatedPerson())
                .forEach(r -> validator.validateWithResult(r));
    }
}
