package kz.ehr.mpi.fhir;

import java.util.List;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

import kz.ehr.identity.Iin;
import kz.ehr.mpi.patients.PatientViews;

/**
 * The patient index's answers as FHIR R4: a golden record is a {@link Patient} whose id is the enterprise id and
 * whose {@code link}s ({@code seealso}) name the source records it was built from; a merged patient is inactive and
 * {@code replaced-by} its survivor. Plain mapping code over HAPI's model.
 */
public final class FhirPatients {
    /** A source record's identifier system: this prefix and the provider id; the value is the provider's local id. */
    public static final String SOURCE_RECORD_SYSTEM = "http://ehr.kz/fhir/sid/source-record/";
    /** Our stable error codes (those of the JSON API) in OperationOutcome.issue.details. */
    public static final String ERROR_SYSTEM = "http://ehr.kz/fhir/CodeSystem/patient-index-error";
    /** HL7 v3 RoleCode (MTH: mother) for Patient.contact.relationship, as ingestion's intake reads a RelatedPerson's. */
    public static final String ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
    /** HL7's extension tying a Patient.contact to the RelatedPerson it is (valueReference, here a logical one by IIN). */
    public static final String RELATED_PERSON_EXTENSION = "http://hl7.org/fhir/StructureDefinition/patient-relatedPerson";

    private FhirPatients() {
    }

    public static Patient patient(PatientViews.Patient p) {
        Patient fhir = new Patient();
        fhir.setId(p.enterpriseId().toString());
        fhir.setActive("ACTIVE".equals(p.status()));
        PatientViews.Golden g = p.golden();
        if (g != null) {
            golden(fhir, g);
        }
        mother(fhir, p.sourceRecords());
        if ("MERGED".equals(p.status()) && p.mergedInto() != null) {
            fhir.addLink().setType(Patient.LinkType.REPLACEDBY).setOther(new Reference("Patient/" + p.mergedInto()));
        }
        for (PatientViews.LinkedSource s : p.sourceRecords()) {
            fhir.addLink().setType(Patient.LinkType.SEEALSO).setOther(new Reference().setType("Patient")
                    .setIdentifier(new Identifier().setSystem(SOURCE_RECORD_SYSTEM + s.providerId()).setValue(s.localId())));
        }
        return fhir;
    }

    private static void golden(Patient fhir, PatientViews.Golden g) {
        if (g.iin() != null) {
            fhir.addIdentifier().setUse(Identifier.IdentifierUse.OFFICIAL).setSystem(Iin.FHIR_SYSTEM).setValue(g.iin());
        }
        if (g.lastName() != null || g.firstName() != null || g.middleName() != null) {
            HumanName name = fhir.addName().setUse(HumanName.NameUse.OFFICIAL).setFamily(g.lastName());
            // the patronymic is the second given name, as Kazakh and Russian documents write it after the first
            if (g.firstName() != null) {
                name.addGiven(g.firstName());
            }
            if (g.middleName() != null) {
                name.addGiven(g.middleName());
            }
        }
        if ("M".equals(g.sex()) || "F".equals(g.sex())) {
            fhir.setGender("M".equals(g.sex()) ? AdministrativeGender.MALE : AdministrativeGender.FEMALE);
        }
        if (g.birthDate() != null) {
            // from the ISO text, not a java.util.Date: a date has no time zone to shift it by a day
            fhir.setBirthDateElement(new DateType(g.birthDate().toString()));
        }
        if (g.phone() != null) {
            fhir.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(g.phone());
        }
        if (g.address() != null) {
            fhir.addAddress().setText(g.address());
        }
    }

    /**
     * A newborn's mother (a source record's {@code motherIin}): a {@code contact} whose relationship is v3-RoleCode
     * MTH, tied by the patient-relatedPerson extension to a logical RelatedPerson reference by IIN (R4's
     * Patient.contact has no identifier of its own). The mother's own golden record is found by that IIN.
     */
    private static void mother(Patient fhir, List<PatientViews.LinkedSource> sources) {
        sources.stream().map(PatientViews.LinkedSource::motherIin).filter(java.util.Objects::nonNull).findFirst()
                .ifPresent(iin -> {
                    Patient.ContactComponent contact = fhir.addContact();
                    contact.addRelationship().addCoding().setSystem(ROLE_CODE).setCode("MTH").setDisplay("mother");
                    contact.addExtension(RELATED_PERSON_EXTENSION, new Reference().setType("RelatedPerson")
                            .setIdentifier(new Identifier().setSystem(Iin.FHIR_SYSTEM).setValue(iin)));
                });
    }

    /** A searchset of the patients found, each entry with its full URL under {@code base} (…/fhir/r4). */
    public static Bundle searchset(List<PatientViews.Patient> found, String base, String self) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(found.size());
        bundle.addLink().setRelation("self").setUrl(self);
        for (PatientViews.Patient p : found) {
            bundle.addEntry().setFullUrl(base + "/Patient/" + p.enterpriseId()).setResource(patient(p))
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        return bundle;
    }

    /** One error issue: the FHIR issue type for generic clients, our code and sentence in details. */
    public static OperationOutcome outcome(OperationOutcome.IssueType type, String code, String message) {
        OperationOutcome outcome = new OperationOutcome();
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type).setDiagnostics(message);
        issue.getDetails().setText(message).addCoding().setSystem(ERROR_SYSTEM).setCode(code);
        return outcome;
    }
}
