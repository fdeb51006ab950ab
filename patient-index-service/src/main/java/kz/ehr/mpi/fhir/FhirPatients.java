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
import org.hl7.fhir.r4.model.RelatedPerson;

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

    /**
     * The golden record {@code p}; {@code mother} is the golden record of the mother it was recorded under, when
     * {@code p} is a newborn ({@link #motherIin}) and she is in the index, else null.
     */
    public static Patient patient(PatientViews.Patient p, PatientViews.Patient mother) {
        Patient fhir = new Patient();
        fhir.setId(p.enterpriseId().toString());
        fhir.setActive("ACTIVE".equals(p.status()));
        PatientViews.Golden g = p.golden();
        if (g != null) {
            golden(fhir, g);
        }
        motherIin(p).ifPresent(iin -> mother(fhir, iin, mother == null ? null : mother.golden()));
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
        HumanName name = name(g);
        if (name != null) {
            fhir.addName(name);
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

    /** The official name of a golden record, or null if it has none. */
    private static HumanName name(PatientViews.Golden g) {
        if (g.lastName() == null && g.firstName() == null && g.middleName() == null) {
            return null;
        }
        HumanName name = new HumanName().setUse(HumanName.NameUse.OFFICIAL).setFamily(g.lastName());
        // the patronymic is the second given name, as Kazakh and Russian documents write it after the first
        if (g.firstName() != null) {
            name.addGiven(g.firstName());
        }
        if (g.middleName() != null) {
            name.addGiven(g.middleName());
        }
        return name;
    }

    /** The IIN of the mother a newborn was recorded under (a source record's {@code motherIin}), if any. */
    public static java.util.Optional<String> motherIin(PatientViews.Patient p) {
        return p.sourceRecords().stream().map(PatientViews.LinkedSource::motherIin).filter(java.util.Objects::nonNull)
                .findFirst();
    }

    /**
     * A newborn's mother, valid R4 either way (pat-1: a contact needs a name, telecom, address or organization).
     * With her golden record's name: a {@code contact} with that name, relationship v3-RoleCode MTH, and the
     * patient-relatedPerson extension naming her by IIN (a logical reference: R4's Patient.contact has no
     * identifier). Without it (she is not in the index, or nameless there): no contact, but a contained
     * {@code RelatedPerson} — the resource R4 has for a person related to the patient — with her IIN as its
     * identifier, relationship MTH and {@code patient} {@code #} (the containing Patient, which dom-3 accepts).
     */
    private static void mother(Patient fhir, String iin, PatientViews.Golden golden) {
        HumanName name = golden == null ? null : name(golden);
        if (name != null) {
            Patient.ContactComponent contact = fhir.addContact().setName(name.setUse(null));
            contact.addRelationship().addCoding().setSystem(ROLE_CODE).setCode("MTH").setDisplay("mother");
            contact.addExtension(RELATED_PERSON_EXTENSION, new Reference().setType("RelatedPerson")
                    .setIdentifier(new Identifier().setSystem(Iin.FHIR_SYSTEM).setValue(iin)));
            return;
        }
        RelatedPerson mother = new RelatedPerson();
        mother.setId(MOTHER_ID);
        mother.setPatient(new Reference("#"));
        mother.addIdentifier().setSystem(Iin.FHIR_SYSTEM).setValue(iin);
        mother.addRelationship().addCoding().setSystem(ROLE_CODE).setCode("MTH").setDisplay("mother");
        fhir.addContained(mother);
    }

    /** The id of the contained RelatedPerson that carries the IIN of a mother who is not in the index. */
    public static final String MOTHER_ID = "mother";

    /** A searchset of the patients found, each entry with its full URL under {@code base} (…/fhir/r4). */
    public static Bundle searchset(List<PatientViews.Patient> found, java.util.Map<java.util.UUID, PatientViews.Patient> mothers,
                                   String base, String self) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(found.size());
        bundle.addLink().setRelation("self").setUrl(self);
        for (PatientViews.Patient p : found) {
            bundle.addEntry().setFullUrl(base + "/Patient/" + p.enterpriseId()).setResource(patient(p, mothers.get(p.enterpriseId())))
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
