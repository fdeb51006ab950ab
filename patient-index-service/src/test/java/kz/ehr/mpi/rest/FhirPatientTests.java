package kz.ehr.mpi.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.UUID;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.fhir.validation.ProfileValidator;
import kz.ehr.mpi.TestPeople;
import kz.ehr.mpi.TestPeople.Person;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/** The FHIR R4 read of golden records, answered by the running service and parsed back with HAPI. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_mpi_test"))
class FhirPatientTests {
    static final FhirContext FHIR = FhirContext.forR4();
    static final String IIN_SYSTEM = "http://ehr.kz/fhir/sid/iin";
    static final String SOURCE_SYSTEM = "http://ehr.kz/fhir/sid/source-record/";

    static <T extends IBaseResource> T parse(Response r, Class<T> type) {
        assertThat(r.contentType()).startsWith("application/fhir+json");
        return FHIR.newJsonParser().parseResource(type, r.asString());
    }

    static OperationOutcome.OperationOutcomeIssueComponent issue(Response r) {
        OperationOutcome outcome = parse(r, OperationOutcome.class);
        assertThat(outcome.getIssue()).hasSize(1);
        return outcome.getIssueFirstRep();
    }

    /** One person from two providers, one record with the IIN and one in Latin letters without it. */
    static String personAtTwoProviders(Person p, String local) {
        TestPeople.send(TestPeople.patientEvent("damumed", "D-" + local, p.iin(), p.lastName(), p.firstName(), p.middleName(),
                p.birthDate(), p.sex(), "+77017654321"));
        TestPeople.send(TestPeople.patientEvent("kmis", "K-" + local, null, PatientIndexTests.latin(p.lastName()),
                PatientIndexTests.latin(p.firstName()), null, p.birthDate(), p.sex(), null));
        String id = PatientIndexTests.enterpriseOf("damumed", "D-" + local);
        assertThat(PatientIndexTests.enterpriseOf("kmis", "K-" + local)).isEqualTo(id);
        return id;
    }

    @Test
    void aGoldenRecordIsAPatientWithItsIinAndASeeAlsoLinkPerSourceRecord() {
        Person p = TestPeople.random("F");
        String local = UUID.randomUUID().toString();
        String id = personAtTwoProviders(p, local);

        Response r = PatientIndexTests.clinician("dr-fhir").get("/fhir/r4/Patient/{id}", id);
        assertThat(r.statusCode()).isEqualTo(200);
        Patient patient = parse(r, Patient.class);

        assertThat(patient.getIdElement().getIdPart()).isEqualTo(id);
        assertThat(patient.getActive()).isTrue();
        assertThat(patient.getIdentifier()).singleElement().satisfies(i -> {
            assertThat(i.getSystem()).isEqualTo(IIN_SYSTEM);
            assertThat(i.getValue()).isEqualTo(p.iin());
        });
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo(p.lastName());
        assertThat(patient.getNameFirstRep().getGiven()).extracting(org.hl7.fhir.r4.model.StringType::getValue)
                .containsExactly(p.firstName(), p.middleName());
        assertThat(patient.getGender()).isEqualTo(AdministrativeGender.FEMALE);
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo(p.birthDate().toString());
        assertThat(patient.getTelecomFirstRep().getValue()).endsWith("7017654321");
        assertThat(patient.getLink()).hasSize(2).allSatisfy(l -> {
            assertThat(l.getType()).isEqualTo(Patient.LinkType.SEEALSO);
            assertThat(l.getOther().getType()).isEqualTo("Patient");
        });
        assertThat(patient.getLink()).extracting(l -> l.getOther().getIdentifier().getSystem() + "|" + l.getOther().getIdentifier().getValue())
                .containsExactlyInAnyOrder(SOURCE_SYSTEM + "damumed|D-" + local, SOURCE_SYSTEM + "kmis|K-" + local);

        // audited like the JSON read, with its purpose
        given().auth().oauth2(TestTokens.of("olga", Roles.AUDITOR)).queryParam("who", "dr-fhir").queryParam("enterpriseId", id)
                .get("/api/v1/audit").then().statusCode(200)
                .body("items[0].action", equalTo("READ_PATIENT"))
                .body("items[0].purpose", equalTo("TREATMENT"))
                .body("items[0].detail", equalTo("FHIR"));
    }

    /** The profile validator ingestion's FHIR intake runs on every bundle, loaded once for this class. */
    static final ProfileValidator R4 = new ProfileValidator(FHIR);

    /** A newborn recorded by a maternity ward under its mother's IIN, with no IIN of its own. */
    static String newbornOf(String motherIin, String lastName) {
        String local = UUID.randomUUID().toString();
        HealthRecordEvent e = TestPeople.patientEvent("maternity", "NB-" + local, null, lastName, null, null,
                java.time.LocalDate.now(kz.ehr.identity.Iin.KAZAKHSTAN).minusDays(3), "M", null);
        e.getPatient().setMotherIin(motherIin);
        TestPeople.send(e);
        return PatientIndexTests.enterpriseOf("maternity", "NB-" + local);
    }

    static Patient readValid(String id) {
        String json = PatientIndexTests.clinician("dr-fhir").get("/fhir/r4/Patient/{id}", id).then().statusCode(200).extract().asString();
        Patient patient = FHIR.newJsonParser().parseResource(Patient.class, json);
        assertThat(R4.validate(patient, "Patient")).as("R4 errors in %s", json).isEmpty();
        return patient;
    }

    @Test
    void aNewbornWhoseMotherIsInTheIndexHasHerAsANamedMotherContactAndHerReadIsAudited() {
        Person mother = TestPeople.random("F");
        String motherId = personAtTwoProviders(mother, UUID.randomUUID().toString());
        String id = newbornOf(mother.iin(), mother.lastName());

        Patient patient = readValid(id);

        assertThat(patient.getIdentifier()).isEmpty();
        assertThat(patient.getContained()).isEmpty();
        assertThat(patient.getContact()).singleElement().satisfies(c -> {
            assertThat(c.getName().getFamily()).isEqualTo(mother.lastName());
            assertThat(c.getName().getGiven()).extracting(org.hl7.fhir.r4.model.StringType::getValue)
                    .containsExactly(mother.firstName(), mother.middleName());
            assertThat(c.getRelationshipFirstRep().getCodingFirstRep().getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/v3-RoleCode");
            assertThat(c.getRelationshipFirstRep().getCodingFirstRep().getCode()).isEqualTo("MTH");
            Reference mom = (Reference) c.getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/patient-relatedPerson").getValue();
            assertThat(mom.getType()).isEqualTo("RelatedPerson");
            assertThat(mom.getIdentifier().getSystem()).isEqualTo(IIN_SYSTEM);
            assertThat(mom.getIdentifier().getValue()).isEqualTo(mother.iin());
        });
        // her golden record was read to name her: audited as a read of hers, within the newborn's request
        given().auth().oauth2(TestTokens.of("olga", Roles.AUDITOR)).queryParam("who", "dr-fhir").queryParam("enterpriseId", motherId)
                .get("/api/v1/audit").then().statusCode(200)
                .body("items[0].action", equalTo("READ_PATIENT"))
                .body("items[0].purpose", equalTo("TREATMENT"))
                .body("items[0].detail", equalTo("FHIR; mother's name for Patient/" + id + " contact"));
    }

    @Test
    void aNewbornWhoseMotherIsNotInTheIndexCarriesHerIinOnAContainedRelatedPersonAndNoContact() {
        Person mother = TestPeople.random("F");
        String id = newbornOf(mother.iin(), mother.lastName());

        Patient patient = readValid(id);

        assertThat(patient.getIdentifier()).isEmpty();
        assertThat(patient.getContact()).as("pat-1: a contact without a name, telecom, address or organization is invalid").isEmpty();
        assertThat(patient.getContained()).singleElement().satisfies(r -> {
            org.hl7.fhir.r4.model.RelatedPerson rp = (org.hl7.fhir.r4.model.RelatedPerson) r;
            assertThat(rp.getPatient().getReference()).isEqualTo("#");
            assertThat(rp.getRelationshipFirstRep().getCodingFirstRep().getCode()).isEqualTo("MTH");
            assertThat(rp.getIdentifier()).singleElement().satisfies(i -> {
                assertThat(i.getSystem()).isEqualTo(IIN_SYSTEM);
                assertThat(i.getValue()).isEqualTo(mother.iin());
            });
        });

        // an adult with no mother on record has neither
        Person adult = TestPeople.random("M");
        Patient plain = readValid(personAtTwoProviders(adult, UUID.randomUUID().toString()));
        assertThat(plain.getContact()).isEmpty();
        assertThat(plain.getContained()).isEmpty();
    }

    @Test
    void aSearchByIinIsASearchsetBundleOfThePatient() {
        Person p = TestPeople.random("M");
        String id = personAtTwoProviders(p, UUID.randomUUID().toString());

        Response r = PatientIndexTests.clinician("dr-fhir").queryParam("identifier", IIN_SYSTEM + "|" + p.iin()).get("/fhir/r4/Patient");
        assertThat(r.statusCode()).isEqualTo(200);
        Bundle bundle = parse(r, Bundle.class);

        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        assertThat(bundle.getTotal()).isEqualTo(1);
        Bundle.BundleEntryComponent entry = bundle.getEntryFirstRep();
        assertThat(entry.getFullUrl()).endsWith("/fhir/r4/Patient/" + id);
        assertThat(entry.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.MATCH);
        Patient found = (Patient) entry.getResource();
        assertThat(found.getIdElement().getIdPart()).isEqualTo(id);
        assertThat(found.getGender()).isEqualTo(AdministrativeGender.MALE);
        assertThat(found.getLink()).hasSize(2);
        given().auth().oauth2(TestTokens.of("olga", Roles.AUDITOR)).queryParam("who", "dr-fhir").queryParam("enterpriseId", id)
                .get("/api/v1/audit").then().statusCode(200)
                .body("items[0].action", equalTo("FIND_BY_IIN"))
                .body("items[0].purpose", equalTo("TREATMENT"))
                .body("items[0].detail", equalTo("FHIR"));

        // an IIN nobody has: an empty searchset, not an error
        Response none = PatientIndexTests.clinician("dr-fhir").queryParam("identifier", IIN_SYSTEM + "|" + TestPeople.random("M").iin())
                .get("/fhir/r4/Patient");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(parse(none, Bundle.class).getTotal()).isZero();
    }

    @Test
    void refusalsAreOperationOutcomesWithTheJsonApisCodes() {
        Response unknown = PatientIndexTests.clinician("dr-fhir").get("/fhir/r4/Patient/{id}", UUID.randomUUID());
        assertThat(unknown.statusCode()).isEqualTo(404);
        OperationOutcome.OperationOutcomeIssueComponent notFound = issue(unknown);
        assertThat(notFound.getCode()).isEqualTo(OperationOutcome.IssueType.NOTFOUND);
        assertThat(notFound.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(notFound.getDetails().getCodingFirstRep().getCode()).isEqualTo("PATIENT_NOT_FOUND");
        assertThat(issue(PatientIndexTests.clinician("dr-fhir").get("/fhir/r4/Patient/{id}", "not-a-uuid"))
                .getDetails().getCodingFirstRep().getCode()).isEqualTo("PATIENT_NOT_FOUND");

        for (String identifier : List.of("urn:oid:1.2.3|850315300019", "850315300019", "http://ehr.kz/fhir/sid/bin|850315300019")) {
            Response bad = PatientIndexTests.clinician("dr-fhir").queryParam("identifier", identifier).get("/fhir/r4/Patient");
            assertThat(bad.statusCode()).as(identifier).isEqualTo(400);
            OperationOutcome.OperationOutcomeIssueComponent i = issue(bad);
            assertThat(i.getCode()).isEqualTo(OperationOutcome.IssueType.INVALID);
            assertThat(i.getDetails().getCodingFirstRep().getCode()).isEqualTo("UNKNOWN_IDENTIFIER_SYSTEM");
            assertThat(i.getDiagnostics()).contains(IIN_SYSTEM);
        }
        Response shortIin = PatientIndexTests.clinician("dr-fhir").queryParam("identifier", IIN_SYSTEM + "|8503").get("/fhir/r4/Patient");
        assertThat(shortIin.statusCode()).isEqualTo(400);
        assertThat(issue(shortIin).getDetails().getCodingFirstRep().getCode()).isEqualTo("IIN_FORMAT");
        Response noIdentifier = PatientIndexTests.clinician("dr-fhir").get("/fhir/r4/Patient");
        assertThat(noIdentifier.statusCode()).isEqualTo(400);
        assertThat(issue(noIdentifier).getCode()).isEqualTo(OperationOutcome.IssueType.REQUIRED);

        Response noPurpose = given().auth().oauth2(TestTokens.of("dr-fhir", Roles.CLINICIAN)).get("/fhir/r4/Patient/{id}", UUID.randomUUID());
        assertThat(noPurpose.statusCode()).isEqualTo(400);
        assertThat(issue(noPurpose).getDetails().getCodingFirstRep().getCode()).isEqualTo("PURPOSE_REQUIRED");
    }
}
