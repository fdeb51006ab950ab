package kz.ehr.fhir.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
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
 * {@code hapi-fhir-validation-resources-r4}, as this platform runs it: ingestion's FHIR intake on every bundle, and
 * the patient index's tests on what its FHIR read writes (so that what one service writes, the other takes). It finds
 * what a parser lets through: a missing required element such as {@code Encounter.status}, a cardinality, a code
 * outside a required value set, a failed invariant (pat-1, bdl-7). Build it once: loading the specification takes
 * tens of seconds on a busy machine and keeps about 300 MiB of heap. HAPI's {@link FhirValidator} is thread-safe,
 * so one instance serves every request.
 * <p>
 * A bundle is validated in one call ({@link #validateBundle}): HAPI builds a new core {@code InstanceValidator} for
 * every call, and building it re-reads and splits a packed OID table, which was most of a per-entry validation's
 * 35–80 ms (docs/benchmarks/ingestion-service.md §3). The messages are split back to their entries by their FHIRPath
 * location {@code Bundle.entry[i]…}.
 * <p>
 * Offline by design: no terminology server and no reference fetching. A code system the specification does not
 * carry (LOINC, ICD-10, this platform's {@code http://ehr.kz/fhir/CodeSystem/…}) cannot be checked here, so it is
 * at most a warning from HAPI, and only ERROR/FATAL messages become findings: warnings and information (best
 * practice, unknown code systems, extensible bindings, bundle references that match by type and id but not by
 * fullUrl) never reject anything. A finding carries the JSON path's code where one fits and the FHIRPath of the
 * element at fault.
 */
public final class ProfileValidator {
    /** A profile rule that none of the JSON path's codes describes (an invariant such as pat-1 or bdl-7). */
    public static final String FHIR_INVALID = "FHIR_INVALID";

    /** One error: the JSON path's code, the FHIRPath of the element at fault, HAPI's sentence. */
    public record Finding(String code, String expression, String message) {
    }

    /** A bundle's errors: those inside entry i (key i), and those of the bundle itself. */
    public record BundleFindings(Map<Integer, List<Finding>> byEntry, List<Finding> bundle) {
        public List<Finding> entry(int index) {
            return byEntry.getOrDefault(index, List.of());
        }
    }

    private static final Pattern MISSING = Pattern.compile("^([A-Za-z][A-Za-z0-9.\\[\\]]*): minimum required = \\d+");
    private static final Pattern ENTRY = Pattern.compile("^Bundle\\.entry\\[(\\d+)]");
    /** HAPI's location names the resource it is in as a comment: {@code Bundle.entry[4].resource/*Encounter/x*}{@code /.class}. */
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/");

    private final FhirValidator validator;

    public ProfileValidator(FhirContext fhir) {
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

    /** The errors in one resource, each at its FHIRPath below {@code path} (e.g. {@code Patient}). */
    public List<Finding> validate(IBaseResource resource, String path) {
        List<Finding> out = new ArrayList<>();
        for (SingleValidationMessage m : errors(validator.validateWithResult(resource))) {
            out.add(finding(m, relocate(location(m), resource.fhirType(), path)));
        }
        return out;
    }

    /** The errors in a Bundle's JSON, validated as a whole and split by entry. */
    public BundleFindings validateBundle(String bundleJson) {
        Map<Integer, List<Finding>> byEntry = new TreeMap<>();
        List<Finding> bundle = new ArrayList<>();
        for (SingleValidationMessage m : errors(validator.validateWithResult(bundleJson))) {
            String location = location(m);
            Matcher entry = ENTRY.matcher(location);
            Finding f = finding(m, location);
            if (entry.find()) {
                byEntry.computeIfAbsent(Integer.parseInt(entry.group(1)), i -> new ArrayList<>()).add(f);
            } else {
                bundle.add(f);
            }
        }
        return new BundleFindings(byEntry, bundle);
    }

    private static List<SingleValidationMessage> errors(ValidationResult result) {
        return result.getMessages().stream().filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR
                || m.getSeverity() == ResultSeverityEnum.FATAL).toList();
    }

    /** HAPI's location without its resource comments: {@code Bundle.entry[4].resource.class}. */
    private static String location(SingleValidationMessage m) {
        String location = m.getLocationString();
        return location == null ? "" : COMMENT.matcher(location).replaceAll("");
    }

    /**
     * A missing element is reported at its parent, the element named in the message ({@code Encounter.status:
     * minimum required = 1}): the finding points at the element itself, below the parent's location.
     */
    private static Finding finding(SingleValidationMessage m, String location) {
        String code = code(m.getMessageId());
        if ("REQUIRED".equals(code)) {
            Matcher missing = MISSING.matcher(m.getMessage());
            if (missing.find()) {
                String element = missing.group(1);
                location = location + element.substring(element.lastIndexOf('.'));
            }
        }
        return new Finding(code, location, m.getMessage());
    }

    /** A single resource's location ({@code Patient.name[0].given[0]}) below {@code path}. */
    static String relocate(String location, String type, String path) {
        if (location.isBlank() || location.equals(type)) {
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
     * Validates a small bundle holding one resource of each type the platform exchanges: HAPI loads the
     * specification's structure definitions, value sets and code systems on first use, which is the expensive part.
     */
    public void warmUp() {
        validateBundle(WARM_UP);
    }

    private static final String WARM_UP = """
            {"resourceType":"Bundle","type":"batch","entry":[
             {"fullUrl":"urn:uuid:5b7a6c1e-0000-4000-8000-000000000001","request":{"method":"POST","url":"Patient"},
              "resource":{"resourceType":"Patient","id":"warm-up","gender":"female","birthDate":"2000-01-01",
               "contained":[{"resourceType":"RelatedPerson","id":"m","patient":{"reference":"#"}}]}},
             {"request":{"method":"POST","url":"Encounter"},"resource":{"resourceType":"Encounter","status":"finished",
              "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
              "subject":{"reference":"Patient/warm-up"}}},
             {"request":{"method":"POST","url":"Observation"},"resource":{"resourceType":"Observation","status":"final",
              "code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"subject":{"reference":"Patient/warm-up"}}},
             {"request":{"method":"POST","url":"Immunization"},"resource":{"resourceType":"Immunization"}},
             {"request":{"method":"POST","url":"EpisodeOfCare"},"resource":{"resourceType":"EpisodeOfCare"}},
             {"request":{"method":"POST","url":"Coverage"},"resource":{"resourceType":"Coverage"}},
             {"request":{"method":"POST","url":"Organization"},"resource":{"resourceType":"Organization"}},
             {"request":{"method":"POST","url":"Practitioner"},"resource":{"resourceType":"Practitioner"}},
             {"request":{"method":"POST","url":"Condition"},"resource":{"resourceType":"Condition"}},
             {"request":{"method":"POST","url":"RelatedPerson"},"resource":{"resourceType":"RelatedPerson"}}]}""";
}
