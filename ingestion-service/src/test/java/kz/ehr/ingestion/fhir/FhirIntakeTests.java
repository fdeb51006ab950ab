package kz.ehr.ingestion.fhir;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jakarta.inject.Inject;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;
import kz.ehr.ingestion.TestRecords;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestKafka;

/**
 * POST /fhir/r4 through the real broker and PostgreSQL: bundles map to the same records, topics, dedupe and
 * statistics as the JSON path, and every problem is answered per entry with the JSON path's code and a FHIRPath.
 * Each test uses a provider of its own, so counts are not shared.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_ingestion_test"))
class FhirIntakeTests {
    static final String BIN = "100140000013";
    static final String IIN = "850315300019";
    static final String BAD_CHECKSUM = "850315300018";

    @Inject
    FhirIntake intake;

    /**
     * HAPI's validator loads the R4 specification on the first bundle that needs it (tens of seconds on a busy
     * machine, longer than RestAssured's read timeout), so the tests have it loaded first.
     */
    @BeforeEach
    void validatorLoaded() throws Exception {
        intake.validator();
    }

    @Test
    void aBundleOfEveryRecordTypeIsAcceptedEntryByEntryAndEachRecordReachesItsTopic() {
        String[] provider = newProvider();
        String run = UUID.randomUUID().toString().substring(0, 8);

        JsonPath answer = post(provider[1], everyRecordType(run), 200);

        assertThat(answer.getString("resourceType")).isEqualTo("Bundle");
        assertThat(answer.getString("type")).isEqualTo("batch-response");
        assertThat(answer.getList("entry.response.status")).hasSize(14).allMatch(s -> s.toString().startsWith("201"));
        Map<String, HealthRecordEvent> care = read(Topics.CARE, provider[0], Set.of("Encounter/enc-" + run,
                "Encounter/hosp-" + run, "Immunization/imm-" + run, "Observation/fluoro-" + run, "Observation/bp-" + run,
                "Observation/exam-" + run));
        Map<String, HealthRecordEvent> registry = read(Topics.REGISTRY, provider[0], Set.of("EpisodeOfCare/tb-" + run,
                "EpisodeOfCare/att-" + run, "Coverage/cov-" + run, "Patient/dead-" + run + "/death"));
        Map<String, HealthRecordEvent> patients = read(Topics.PATIENTS, provider[0], Set.of("Patient/pat-" + run,
                "Patient/dead-" + run));

        HealthRecordEvent person = patients.get("Patient/pat-" + run);
        assertThat(person.getPatient().getLocalId()).isEqualTo("P-" + run);
        assertThat(person.getPatient().getIinStatus()).isEqualTo("VALID");
        assertThat(List.of(person.getPatient().getLastName(), person.getPatient().getFirstName(), person.getPatient().getMiddleName(),
                person.getPatient().getSex(), person.getPatient().getPhone())).containsExactly("Ахметов", "Ерлан", "Серикович", "M", "+77011234567");
        var visit = care.get("Encounter/enc-" + run);
        assertThat(visit.getPatient().getIin()).isEqualTo("850315300019");
        assertThat(visit.getEncounter().getPolyclinicBin()).isEqualTo(BIN);
        assertThat(visit.getEncounter().getDoctorId()).isEqualTo("D-" + run);
        assertThat(visit.getEncounter().getKind()).isEqualTo("VISIT");
        assertThat(visit.getEncounter().getDiagnoses()).containsExactly("I10", "E11.9");
        assertThat(visit.getEncounter().getServices()).containsExactly("A01.001");
        assertThat(visit.getEncounter().getReferral()).isTrue();
        assertThat(care.get("Encounter/hosp-" + run).getHospitalization().getFacilityBin()).isEqualTo(BIN);
        assertThat(care.get("Immunization/imm-" + run).getImmunization().getVaccine()).isEqualTo("MMR");
        assertThat(care.get("Immunization/imm-" + run).getImmunization().getDose()).isEqualTo(2);
        assertThat(care.get("Observation/fluoro-" + run).getObservation().getCode()).isEqualTo("FLUOROGRAPHY");
        assertThat(care.get("Observation/fluoro-" + run).getObservation().getValue()).isEqualTo("NORMAL");
        var bp = care.get("Observation/bp-" + run).getObservation();
        assertThat(List.of(bp.getCode(), bp.getValue(), bp.getUnit())).containsExactly("SYSTOLIC_BP", "120", "mmHg");
        var exam = care.get("Observation/exam-" + run).getExam();
        assertThat(List.of(exam.getPurpose(), exam.getConclusion(), exam.getDoctorId(), exam.getFacilityBin()))
                .containsExactly("DRIVER", "FIT", "D-" + run, BIN);
        var tb = registry.get("EpisodeOfCare/tb-" + run).getDispensary();
        assertThat(List.of(tb.getRegister(), tb.getStatus(), tb.getDate())).containsExactly("TB", "REGISTERED", LocalDate.of(2025, 1, 15));
        var attachment = registry.get("EpisodeOfCare/att-" + run).getAttachment();
        assertThat(List.of(attachment.getPolyclinicBin(), attachment.getRegion())).containsExactly(BIN, "ALMATY_CITY");
        assertThat(registry.get("Coverage/cov-" + run).getInsurance().getInsured()).isTrue();
        assertThat(registry.get("Patient/dead-" + run + "/death").getDeath().getDate()).isEqualTo(LocalDate.of(2025, 3, 5));

        JsonPath stats = stats(provider);
        assertThat(stats.getLong("accepted")).isEqualTo(12);
        assertThat(stats.getLong("rejected")).isZero();
    }

    /**
     * Each record type in a bundle of its own, as a vendor sending one kind of record would: the resource, the
     * patient it is about, and only the context it refers to (an Organization, Practitioner or Condition nothing
     * refers to would be NOT_REFERENCED).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "patient,   PATIENTS, Patient/pat-",
            "visit,     CARE,     Encounter/enc-",
            "hospital,  CARE,     Encounter/hosp-",
            "vaccine,   CARE,     Immunization/imm-",
            "fluoro,    CARE,     Observation/fluoro-",
            "vitals,    CARE,     Observation/bp-",
            "exam,      CARE,     Observation/exam-",
            "register,  REGISTRY, EpisodeOfCare/tb-",
            "attach,    REGISTRY, EpisodeOfCare/att-",
            "insurance, REGISTRY, Coverage/cov-",
            "death,     REGISTRY, Patient/dead-"})
    void eachRecordTypeInABundleOfItsOwnIsAcceptedAndReachesItsTopic(String kind, Topics topic, String idPrefix) {
        String[] provider = newProvider();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> all = everyRecordTypeResources(run);
        String id = idPrefix.substring(idPrefix.indexOf('/') + 1) + run;
        String record = all.stream().filter(r -> r.contains("\"id\":\"" + id + "\"")).findFirst().orElseThrow();
        List<String> resources = new java.util.ArrayList<>();
        for (String context : List.of("org-", "doc-", "pat-", "cond-")) {
            String contextResource = all.stream().filter(r -> r.contains("\"id\":\"" + context + run + "\"")).findFirst().orElseThrow();
            String type = JsonPath.from(contextResource).getString("resourceType");
            if (!contextResource.equals(record) && record.contains(type + "/" + context + run)) {
                resources.add(contextResource);
            }
        }
        resources.add(record);
        String recordId = idPrefix + run + (kind.equals("death") ? "/death" : "");

        JsonPath answer = post(provider[1], bundle("batch", resources.toArray(String[]::new)), 200);

        assertThat(answer.getList("entry.response.status")).as(kind).allMatch(s -> s.toString().startsWith("201"));
        read(topic, provider[0], Set.of(recordId));
    }

    @Test
    void theSameBundleSentAgainIsADuplicateInEveryEntry() {
        String[] provider = newProvider();
        String bundle = everyRecordType(UUID.randomUUID().toString().substring(0, 8));
        post(provider[1], bundle, 200);

        JsonPath again = post(provider[1], bundle, 200);

        assertThat(again.getList("entry.response.status")).hasSize(14).allMatch(s -> s.toString().startsWith("200"));
        assertThat(stats(provider).getLong("duplicates")).isEqualTo(12);
    }

    @Test
    void anInvalidIinWarnsAtTheIdentifierAndAnInvalidBinRejectsOnlyTheEncounterThatUsesIt() {
        String[] provider = newProvider();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bundle = bundle("batch",
                patient("pat-" + run, "P-" + run, BAD_CHECKSUM, null),
                """
                {"resourceType":"Organization","id":"org-%s","identifier":[{"system":"http://ehr.kz/fhir/sid/bin","value":"%s"}]}"""
                        .formatted(run, BAD_CHECKSUM),
                """
                {"resourceType":"Encounter","id":"enc-%1$s","status":"finished",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
                 "subject":{"reference":"Patient/pat-%1$s"},"serviceProvider":{"reference":"Organization/org-%1$s"},
                 "period":{"start":"2025-03-01T10:15:00+05:00"}}""".formatted(run),
                fluorography("fluoro-" + run, "Patient/pat-" + run));

        JsonPath answer = post(provider[1], bundle, 200);

        // the JSON path accepts an invalid IIN with a warning (the patient index repairs identity): so does FHIR
        assertThat(answer.getString("entry[0].response.status")).startsWith("201");
        assertIssue(answer, 0, "IIN_CHECKSUM", "warning", "Bundle.entry[0].resource.identifier[1].value");
        assertThat(answer.getString("entry[1].response.status")).startsWith("422");
        assertIssue(answer, 1, "BIN_CHECKSUM", "error", "Bundle.entry[1].resource.identifier[0].value");
        assertThat(answer.getString("entry[2].response.status")).startsWith("422");
        assertIssue(answer, 2, "BIN_CHECKSUM", "error", "Bundle.entry[1].resource.identifier[0].value");
        assertThat(answer.getString("entry[3].response.status")).startsWith("201");
        assertIssue(answer, 3, "IIN_CHECKSUM", "warning", "Bundle.entry[0].resource.identifier[1].value");
        HealthRecordEvent fluorography = read(Topics.CARE, provider[0], Set.of("Observation/fluoro-" + run)).get("Observation/fluoro-" + run);
        assertThat(fluorography.getPatient().getIinStatus()).isEqualTo("INVALID");
        assertThat(fluorography.getWarnings()).contains("IIN_CHECKSUM");
        JsonPath stats = stats(provider);
        assertThat(stats.getLong("accepted")).isEqualTo(2);
        assertThat(stats.getMap("rejectedByCode")).containsEntry("BIN_CHECKSUM", 1);
    }

    @Test
    void entriesThatCannotBecomeRecordsAreAnsweredOneByOneAndCountedAsRejections() {
        String[] provider = newProvider();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bundle = bundle("transaction",
                patient("pat-" + run, "P-" + run, IIN, null),
                """
                {"resourceType":"MedicationRequest","id":"mr-%s","status":"active","intent":"order",
                 "subject":{"reference":"Patient/pat-%s"}}""".formatted(run, run),
                """
                {"resourceType":"Immunization","id":"imm-%s","status":"completed","patient":{"reference":"Patient/pat-%s"},
                 "vaccineCode":{"coding":[{"system":"http://ehr.kz/fhir/CodeSystem/vaccine","code":"BCG"}],"colour":"red"},
                 "occurrenceDateTime":"2025-03-01T10:00:00+05:00"}""".formatted(run, run),
                """
                {"resourceType":"Practitioner","id":"doc-%s","identifier":[{"value":"D-1"}]}""".formatted(run),
                """
                {"resourceType":"Coverage","id":"cov-%s","status":"active","beneficiary":{"reference":"Patient/nobody"},
                 "payor":[{"display":"ФСМС"}]}""".formatted(run));

        JsonPath answer = post(provider[1], bundle, 200);

        assertThat(answer.getList("entry.response.status")).extracting(s -> s.toString().substring(0, 3))
                .containsExactly("201", "400", "400", "422", "400");
        assertIssue(answer, 1, "UNSUPPORTED_RESOURCE", "error", "Bundle.entry[1].resource");
        assertIssue(answer, 2, "UNKNOWN_FIELD", "error", "Bundle.entry[2].resource.vaccineCode.colour");
        assertIssue(answer, 3, "NOT_REFERENCED", "error", "Bundle.entry[3].resource");
        assertIssue(answer, 4, "REFERENCE_NOT_FOUND", "error", "Bundle.entry[4].resource.beneficiary.reference");
        JsonPath stats = stats(provider);
        assertThat(stats.getLong("accepted")).isEqualTo(1);
        assertThat(stats.getLong("rejected")).isEqualTo(3);
        assertThat(stats.getMap("rejectedByCode")).containsEntry("UNSUPPORTED_RESOURCE", 1)
                .containsEntry("UNKNOWN_FIELD", 1).containsEntry("REFERENCE_NOT_FOUND", 1);
    }

    @Test
    void aNewbornWithoutAnIinOfItsOwnCarriesItsMothersIinFromTheMotherRelatedPerson() {
        String[] provider = newProvider();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String baby = "Patient/nb-" + run;
        String bundle = bundle("batch",
                """
                {"resourceType":"Patient","id":"nb-%s",
                 "identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"value":"NB-%s"}],
                 "name":[{"use":"official","family":"Ахметова","given":["Новорождённая"]}],
                 "gender":"female","birthDate":"2025-03-01"}""".formatted(run, run),
                """
                {"resourceType":"RelatedPerson","id":"mom-%s","active":true,"patient":{"reference":"%s"},
                 "identifier":[{"system":"http://ehr.kz/fhir/sid/iin","value":"900101400013"}],
                 "relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"NMTH",
                                             "display":"natural mother"}]}],
                 "name":[{"family":"Ахметова","given":["Айгуль"]}],"gender":"female","birthDate":"1990-01-01"}"""
                        .formatted(run, baby),
                """
                {"resourceType":"RelatedPerson","id":"dad-%s","patient":{"reference":"%s"},
                 "identifier":[{"system":"http://ehr.kz/fhir/sid/iin","value":"850315300019"}],
                 "relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"NFTH"}]}]}"""
                        .formatted(run, baby),
                """
                {"resourceType":"Immunization","id":"bcg-%s","status":"completed","patient":{"reference":"%s"},
                 "vaccineCode":{"coding":[{"system":"http://ehr.kz/fhir/CodeSystem/vaccine","code":"BCG"}]},
                 "occurrenceDateTime":"2025-03-03T10:00:00+05:00"}""".formatted(run, baby),
                // a second newborn whose mother's IIN fails its checksum: warned where the vendor wrote it
                """
                {"resourceType":"Patient","id":"nb2-%s","name":[{"family":"Серікова","given":["Ана"]}],"gender":"female",
                 "birthDate":"2025-03-02"}""".formatted(run),
                """
                {"resourceType":"RelatedPerson","id":"mom2-%s","patient":{"reference":"Patient/nb2-%s"},
                 "identifier":[{"system":"http://ehr.kz/fhir/sid/passport","value":"N1234567"},
                               {"system":"http://ehr.kz/fhir/sid/iin","value":"%s"}],
                 "relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"MTH"}]}]}"""
                        .formatted(run, run, BAD_CHECKSUM),
                // a contact tied to the mother by IIN (named: R4's pat-1 wants a contact's details, not only a link)
                """
                {"resourceType":"Patient","id":"nb3-%s","gender":"male","birthDate":"2025-03-04",
                 "contact":[{"name":{"family":"Ахметова","given":["Айгуль"]},"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-relatedPerson",
                                           "valueReference":{"type":"RelatedPerson","identifier":{"system":"http://ehr.kz/fhir/sid/iin","value":"900101400013"}}}],
                             "relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"MTH"}]}]}]}"""
                        .formatted(run),
                // a contained RelatedPerson carrying the mother's IIN, as the patient index writes a mother it cannot name
                """
                {"resourceType":"Patient","id":"nb4-%s","gender":"female","birthDate":"2025-03-05",
                 "contained":[{"resourceType":"RelatedPerson","id":"mother","patient":{"reference":"#"},
                               "identifier":[{"system":"http://ehr.kz/fhir/sid/iin","value":"900101400013"}],
                               "relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"MTH"}]}]}]}"""
                        .formatted(run));

        JsonPath answer = post(provider[1], bundle, 200);

        assertThat(answer.getList("entry.response.status")).extracting(s -> s.toString().substring(0, 3))
                .containsExactly("201", "201", "422", "201", "201", "201", "201", "201");
        assertThat(answer.getList("entry[7].response.outcome.issue")).as("the contained mother is valid R4").isNull();
        assertIssue(answer, 2, "NOT_REFERENCED", "error", "Bundle.entry[2].resource");
        assertIssue(answer, 4, "MOTHER_IIN_CHECKSUM", "warning", "Bundle.entry[5].resource.identifier[1].value");
        assertIssue(answer, 5, "MOTHER_IIN_CHECKSUM", "warning", "Bundle.entry[5].resource.identifier[1].value");
        HealthRecordEvent newborn = read(Topics.PATIENTS, provider[0], Set.of(baby)).get(baby);
        assertThat(newborn.getPatient().getIin()).isNull();
        assertThat(newborn.getPatient().getMotherIin()).isEqualTo("900101400013");
        HealthRecordEvent bcg = read(Topics.CARE, provider[0], Set.of("Immunization/bcg-" + run)).get("Immunization/bcg-" + run);
        assertThat(bcg.getPatient().getMotherIin()).isEqualTo("900101400013");
        assertThat(bcg.getPatient().getLocalId()).isEqualTo("NB-" + run);
        HealthRecordEvent second = read(Topics.PATIENTS, provider[0], Set.of("Patient/nb2-" + run)).get("Patient/nb2-" + run);
        assertThat(second.getPatient().getMotherIin()).as("an invalid mother's IIN is dropped, the record kept").isNull();
        HealthRecordEvent third = read(Topics.PATIENTS, provider[0], Set.of("Patient/nb3-" + run)).get("Patient/nb3-" + run);
        assertThat(third.getPatient().getMotherIin()).isEqualTo("900101400013");
        HealthRecordEvent fourth = read(Topics.PATIENTS, provider[0], Set.of("Patient/nb4-" + run)).get("Patient/nb4-" + run);
        assertThat(fourth.getPatient().getMotherIin()).isEqualTo("900101400013");
    }

    @Test
    void aProfileErrorInEntryTwoRejectsOnlyEntryTwoAtItsFhirPath() {
        String[] provider = newProvider();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String pat = "Patient/pat-" + run;
        String bundle = bundle("batch",
                patient("pat-" + run, "P-" + run, IIN, null),
                fluorography("fluoro-" + run, pat),
                // Immunization.vaccineCode is 1..1 in R4; everything else about the entry is well-formed
                """
                {"resourceType":"Immunization","id":"imm-%s","status":"completed","patient":{"reference":"%s"},
                 "occurrenceDateTime":"2025-03-01T10:20:00+05:00"}""".formatted(run, pat),
                fluorography("fluoro2-" + run, pat).replace("2025-03-01T11:00", "2025-03-02T11:00"));

        JsonPath answer = post(provider[1], bundle, 200);

        assertThat(answer.getList("entry.response.status")).extracting(s -> s.toString().substring(0, 3))
                .containsExactly("201", "201", "400", "201");
        assertIssue(answer, 2, "REQUIRED", "error", "Bundle.entry[2].resource.vaccineCode");
        assertThat(answer.getList("entry[2].response.outcome.issue")).hasSize(1);
        for (int i : new int[]{0, 1, 3}) {
            assertThat(answer.getList("entry[" + i + "].response.outcome.issue")).as("entry %d", i).isNull();
        }
        read(Topics.CARE, provider[0], Set.of("Observation/fluoro-" + run, "Observation/fluoro2-" + run));
        JsonPath stats = stats(provider);
        assertThat(stats.getLong("accepted")).isEqualTo(3);
        assertThat(stats.getMap("rejectedByCode")).containsOnly(Map.entry("REQUIRED", 1));
    }

    @Test
    void aBundleThatBreaksABundleRuleIsA400AndNothingOfItIsTaken() {
        String[] provider = newProvider();
        String run = UUID.randomUUID().toString().substring(0, 8);
        // bdl-7: two entries with one fullUrl (and no versions) leave the references between entries ambiguous
        String bundle = bundle("batch", patient("pat-" + run, "P-" + run, IIN, null), patient("pat2-" + run, "P2-" + run, IIN, null));
        String second = JsonPath.from(bundle).getString("entry[1].fullUrl");
        String first = JsonPath.from(bundle).getString("entry[0].fullUrl");

        JsonPath outcome = post(provider[1], bundle.replace(second, first), 400);

        assertWholeBodyRejected(outcome, "FHIR_INVALID");
        assertThat(outcome.getString("issue[0].details.text")).contains("bdl-7");
        assertThat(outcome.getList("issue[0].expression")).containsExactly("Bundle");
        assertThat(stats(provider).getLong("batches")).isZero();
    }

    @Test
    void whatTheParserLetsThroughHapisProfileValidatorRejectsWithTheJsonPathsCodeAndTheElementsFhirPath() {
        String[] provider = newProvider();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String pat = "Patient/pat-" + run;
        String bundle = bundle("batch",
                patient("pat-" + run, "P-" + run, IIN, null),
                // Encounter.status is 1..1 in R4
                """
                {"resourceType":"Encounter","id":"enc-%s",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
                 "subject":{"reference":"%s"},"period":{"start":"2025-03-01T10:15:00+05:00"}}""".formatted(run, pat),
                // Observation.code is 1..1
                """
                {"resourceType":"Observation","id":"obs-%s","status":"final","subject":{"reference":"%s"},
                 "effectiveDateTime":"2025-03-01T11:00:00+05:00","valueString":"NORMAL"}""".formatted(run, pat),
                // Encounter.class is bound (extensible) to ActEncounterCode, and XYZ is no ActCode at all
                """
                {"resourceType":"Encounter","id":"enc2-%s","status":"finished",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"XYZ"},
                 "subject":{"reference":"%s"},"period":{"start":"2025-03-01T10:15:00+05:00"}}""".formatted(run, pat),
                // pat-1: a contact with only a relationship is no contact
                """
                {"resourceType":"Patient","id":"pat2-%s","gender":"female","birthDate":"2025-03-04",
                 "contact":[{"relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"MTH"}]}]}]}"""
                        .formatted(run),
                // a code system HAPI cannot check offline is at most a warning: accepted, nothing reported
                fluorography("fluoro-" + run, pat));

        JsonPath answer = post(provider[1], bundle, 200);

        assertThat(answer.getList("entry.response.status")).extracting(s -> s.toString().substring(0, 3))
                .containsExactly("201", "400", "400", "400", "400", "201");
        assertIssue(answer, 1, "REQUIRED", "error", "Bundle.entry[1].resource.status");
        assertThat(answer.getString("entry[1].response.outcome.issue[0].code")).isEqualTo("required");
        assertThat(answer.getString("entry[1].response.outcome.issue[0].details.text")).contains("Encounter.status");
        assertIssue(answer, 2, "REQUIRED", "error", "Bundle.entry[2].resource.code");
        assertIssue(answer, 3, "INVALID_ENUM", "error", "Bundle.entry[3].resource.class");
        assertIssue(answer, 4, "FHIR_INVALID", "error", "Bundle.entry[4].resource.contact[0]");
        assertThat(answer.getString("entry[4].response.outcome.issue[0].details.text")).contains("pat-1");
        assertThat(answer.getString("entry[4].response.outcome.issue[0].code")).isEqualTo("invariant");
        assertThat(answer.getList("entry[0].response.outcome.issue")).as("the valid Patient has nothing to report").isNull();
        assertThat(answer.getList("entry[5].response.outcome.issue")).as("no warning for a code system HAPI does not know").isNull();
        read(Topics.CARE, provider[0], Set.of("Observation/fluoro-" + run));
        JsonPath stats = stats(provider);
        assertThat(stats.getLong("accepted")).isEqualTo(2);
        assertThat(stats.getMap("rejectedByCode")).containsOnly(Map.entry("REQUIRED", 2), Map.entry("INVALID_ENUM", 1),
                Map.entry("FHIR_INVALID", 1));
    }

    @Test
    void aPatientWithAGenderOutsideR4sCodesIsRejectedAtGender() {
        String[] provider = newProvider();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bundle = bundle("batch", patient("pat-" + run, "P-" + run, IIN, null).replace("\"gender\":\"male\"", "\"gender\":\"M\""));

        JsonPath answer = post(provider[1], bundle, 200);

        assertThat(answer.getString("entry[0].response.status")).startsWith("400");
        assertIssue(answer, 0, "INVALID_ENUM", "error", "Bundle.entry[0].resource.gender");
    }

    @Test
    void aDeathFromAProviderNotPermittedToReportDeathsIsRejectedAndThePatientStillAccepted() {
        String[] provider = newProvider("clinic-"); // the test profile permits deaths from damumed and fhir-* only
        String run = UUID.randomUUID().toString().substring(0, 8);

        JsonPath answer = post(provider[1], bundle("batch", patient("dead-" + run, "P-" + run, "900101400013", "2025-03-05")), 200);

        assertThat(answer.getString("entry[0].response.status")).startsWith("422");
        assertIssue(answer, 0, "TYPE_NOT_PERMITTED", "error", "Bundle.entry[0].resource");
        read(Topics.PATIENTS, provider[0], Set.of("Patient/dead-" + run));
        JsonPath stats = stats(provider);
        assertThat(stats.getLong("accepted")).isEqualTo(1);
        assertThat(stats.getMap("rejectedByCode")).containsOnly(Map.entry("TYPE_NOT_PERMITTED", 1));
    }

    @Test
    void aBodyThatIsNotABatchBundleIsA400OperationOutcome() {
        String[] provider = newProvider();
        assertWholeBodyRejected(post(provider[1], "{\"resourceType\":\"Bundle\",", 400), "MALFORMED_BATCH");
        assertWholeBodyRejected(post(provider[1], patient("p-1", "P-1", IIN, null), 400), "NOT_A_BUNDLE");
        assertWholeBodyRejected(post(provider[1], bundle("searchset", patient("p-1", "P-1", IIN, null)), 400), "BUNDLE_TYPE");
        assertThat(stats(provider).getLong("batches")).isZero();
    }

    @Test
    void aBundleOverTheJsonPathsLimitsIsRefusedWholeWithAnOperationOutcome() {
        String[] provider = newProvider();
        // the test profile's limits: 2,097,152 bytes and 2,000 records a batch, as IngestionRulesTests checks them on JSON
        assertWholeBodyRejected(post(provider[1], " ".repeat(2 * 1024 * 1024 + 1), 413), "BATCH_TOO_LARGE");
        StringBuilder many = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
        for (int i = 0; i < 2001; i++) {
            many.append(i == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p-").append(i)
                    .append("\"},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
        }
        JsonPath tooMany = post(provider[1], many.append("]}").toString(), 413);
        assertWholeBodyRejected(tooMany, "BATCH_TOO_LARGE");
        assertThat(tooMany.getList("issue[0].expression")).containsExactly("Bundle.entry");
        String deep = bundle("batch", patient("p-1", "P-1", IIN, null))
                .replace("\"gender\":\"male\"", "\"gender\":\"male\",\"_gender\":" + "{\"x\":".repeat(200) + "1" + "}".repeat(200));
        assertWholeBodyRejected(post(provider[1], deep, 400), "TOO_DEEP");
        assertThat(stats(provider).getLong("batches")).isZero();
    }

    @Test
    void withoutAValidProviderKeyTheBundleIsUnauthenticated() {
        String bundle = bundle("batch", patient("p-1", "P-1", IIN, null));
        JsonPath none = JsonPath.from(given().contentType("application/fhir+json").body(bundle.getBytes(StandardCharsets.UTF_8))
                .when().post("/fhir/r4").then().statusCode(401).extract().asString());
        assertThat(none.getString("issue[0].details.coding[0].code")).isEqualTo("UNAUTHENTICATED");
        post("Bearer not-a-key", bundle, 401);
        post(TestRecords.OPS, bundle, 401); // a staff token is not a provider key, as on the JSON path
    }

    // ---- bundles ----

    static String everyRecordType(String run) {
        return bundle("batch", everyRecordTypeResources(run).toArray(String[]::new));
    }

    /** The resources of {@link #everyRecordType}: context first (Organization, Practitioner, Patient, Condition). */
    static List<String> everyRecordTypeResources(String run) {
        String pat = "Patient/pat-" + run;
        String org = "Organization/org-" + run;
        String doc = "Practitioner/doc-" + run;
        return List.of(
                """
                {"resourceType":"Organization","id":"org-%s","name":"Городская поликлиника №1",
                 "identifier":[{"system":"http://ehr.kz/fhir/sid/bin","value":"%s"}],"address":[{"city":"Алматы","state":"ALMATY_CITY"}]}"""
                        .formatted(run, BIN),
                """
                {"resourceType":"Practitioner","id":"doc-%1$s","identifier":[{"system":"urn:damumed:doctor","value":"D-%1$s"}]}"""
                        .formatted(run),
                patient("pat-" + run, "P-" + run, "850315300019", null),
                """
                {"resourceType":"Condition","id":"cond-%s","subject":{"reference":"%s"},
                 "code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"I10"}]}}""".formatted(run, pat),
                """
                {"resourceType":"Encounter","id":"enc-%1$s","status":"finished",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
                 "type":[{"coding":[{"system":"http://ehr.kz/fhir/CodeSystem/service","code":"A01.001"}]}],
                 "subject":{"reference":"%2$s"},"participant":[{"individual":{"reference":"%3$s"}}],
                 "period":{"start":"2025-03-01T10:15:00+05:00","end":"2025-03-01T10:30:00+05:00"},
                 "diagnosis":[{"condition":{"reference":"Condition/cond-%1$s"}}],
                 "reasonCode":[{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"E11.9"}]}],
                 "basedOn":[{"display":"referral from a cardiologist"}],"serviceProvider":{"reference":"%4$s"}}"""
                        .formatted(run, pat, doc, org),
                """
                {"resourceType":"Encounter","id":"hosp-%s","status":"finished",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},"subject":{"reference":"%s"},
                 "period":{"start":"2025-02-01T09:00:00+05:00","end":"2025-02-10T12:00:00+05:00"},"serviceProvider":{"reference":"%s"}}"""
                        .formatted(run, pat, org),
                """
                {"resourceType":"Immunization","id":"imm-%s","status":"completed","patient":{"reference":"%s"},
                 "vaccineCode":{"coding":[{"system":"http://ehr.kz/fhir/CodeSystem/vaccine","code":"MMR"}]},
                 "occurrenceDateTime":"2025-03-01T10:20:00+05:00","protocolApplied":[{"doseNumberPositiveInt":2}]}"""
                        .formatted(run, pat),
                fluorography("fluoro-" + run, pat),
                """
                {"resourceType":"Observation","id":"bp-%s","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic blood pressure"}]},
                 "subject":{"reference":"%s"},"effectiveDateTime":"2025-03-01T10:16:00+05:00",
                 "valueQuantity":{"value":120,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}"""
                        .formatted(run, pat),
                """
                {"resourceType":"Observation","id":"exam-%s","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"exam"}]}],
                 "code":{"coding":[{"system":"http://ehr.kz/fhir/CodeSystem/exam-purpose","code":"DRIVER"}]},
                 "subject":{"reference":"%s"},"effectiveDateTime":"2025-03-02T09:00:00+05:00",
                 "performer":[{"reference":"%s"},{"reference":"%s"}],
                 "valueCodeableConcept":{"coding":[{"system":"http://ehr.kz/fhir/CodeSystem/exam-conclusion","code":"FIT"}]}}"""
                        .formatted(run, pat, doc, org),
                """
                {"resourceType":"EpisodeOfCare","id":"tb-%s","status":"active","patient":{"reference":"%s"},
                 "type":[{"coding":[{"system":"http://ehr.kz/fhir/CodeSystem/episode-of-care-type","code":"TB"}]}],
                 "period":{"start":"2025-01-15"}}""".formatted(run, pat),
                """
                {"resourceType":"EpisodeOfCare","id":"att-%s","status":"active","patient":{"reference":"%s"},
                 "type":[{"coding":[{"system":"http://ehr.kz/fhir/CodeSystem/episode-of-care-type","code":"ATTACHMENT"}]}],
                 "managingOrganization":{"reference":"%s"},"period":{"start":"2024-01-01"}}""".formatted(run, pat, org),
                """
                {"resourceType":"Coverage","id":"cov-%s","status":"active","beneficiary":{"reference":"%s"},
                 "payor":[{"display":"ФСМС"}],"period":{"start":"2025-01-01"}}""".formatted(run, pat),
                patient("dead-" + run, "D-P-" + run, "900101400013", "2025-03-05"));
    }

    static String patient(String id, String localId, String iin, String deceased) {
        return """
                {"resourceType":"Patient","id":"%s",
                 "identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"value":"%s"},
                               {"system":"http://ehr.kz/fhir/sid/iin","value":"%s"}],
                 "name":[{"use":"official","family":"Ахметов","given":["Ерлан","Серикович"]}],
                 "gender":"male","birthDate":"1985-03-15","telecom":[{"system":"phone","value":"87011234567"}],
                 "address":[{"text":"Алматы, ул. Абая 1"}]%s}"""
                .formatted(id, localId, iin, deceased == null ? "" : ",\"deceasedDateTime\":\"" + deceased + "\"");
    }

    static String fluorography(String id, String patient) {
        return """
                {"resourceType":"Observation","id":"%s","status":"final",
                 "code":{"coding":[{"system":"http://ehr.kz/fhir/CodeSystem/observation","code":"FLUOROGRAPHY"}]},
                 "subject":{"reference":"%s"},"effectiveDateTime":"2025-03-01T11:00:00+05:00",
                 "interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"N"}]}]}"""
                .formatted(id, patient);
    }

    static String bundle(String type, String... resources) {
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[");
        for (int i = 0; i < resources.length; i++) {
            String resourceType = JsonPath.from(resources[i]).getString("resourceType");
            b.append(i == 0 ? "" : ",").append("{\"fullUrl\":\"urn:uuid:").append(UUID.nameUUIDFromBytes(resources[i].getBytes(StandardCharsets.UTF_8)))
                    .append("\",\"resource\":").append(resources[i])
                    .append(",\"request\":{\"method\":\"POST\",\"url\":\"").append(resourceType).append("\"}}");
        }
        return b.append("]}").toString();
    }

    // ---- calls and checks ----

    static JsonPath post(String authorization, String body, int status) {
        String answer = given().header("Authorization", authorization).contentType("application/fhir+json")
                .body(body.getBytes(StandardCharsets.UTF_8)).when().post("/fhir/r4")
                .then().statusCode(status).contentType("application/fhir+json").extract().asString();
        return JsonPath.from(answer);
    }

    static void assertIssue(JsonPath answer, int entry, String code, String severity, String expression) {
        String issue = "entry[" + entry + "].response.outcome.issue.find { it.details.coding[0].code == '" + code + "' }";
        assertThat(answer.getMap(issue)).as("entry %d has an issue %s", entry, code).isNotNull();
        assertThat(answer.getString(issue + ".details.coding[0].system")).isEqualTo("http://ehr.kz/fhir/CodeSystem/ingestion-error");
        assertThat(answer.getString(issue + ".severity")).isEqualTo(severity);
        assertThat(answer.getList(issue + ".expression")).containsExactly(expression);
    }

    static void assertWholeBodyRejected(JsonPath outcome, String code) {
        assertThat(outcome.getString("resourceType")).isEqualTo("OperationOutcome");
        assertThat(outcome.getString("issue[0].severity")).isEqualTo("error");
        assertThat(outcome.getString("issue[0].details.coding[0].code")).isEqualTo(code);
    }

    /** A provider of its own (a key issued by ops), so that statistics are this test's alone. */
    static String[] newProvider() {
        return newProvider("fhir-");
    }

    static String[] newProvider(String prefix) {
        String provider = prefix + UUID.randomUUID().toString().substring(0, 8);
        String key = given().header("Authorization", TestRecords.OPS).when().post("/api/v1/providers/" + provider + "/keys")
                .then().statusCode(201).extract().jsonPath().getString("key");
        return new String[]{provider, "Bearer " + key};
    }

    static JsonPath stats(String[] provider) {
        return given().header("Authorization", provider[1]).when().get("/api/v1/providers/" + provider[0] + "/stats")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Reads {@code topic} from the start until every wanted record of {@code provider} has been seen, or 30 s pass. */
    static Map<String, HealthRecordEvent> read(Topics topic, String provider, Set<String> recordIds) {
        EventCodec<HealthRecordEvent> codec = EventCodec.of(HealthRecordEvent.class);
        Map<String, HealthRecordEvent> seen = new HashMap<>();
        TestKafka.readRawUntil(topic.topic, raw -> {
            try {
                HealthRecordEvent e = codec.decode(raw.value());
                String id = e.getEnvelope().getSourceRecordId();
                if (provider.equals(e.getEnvelope().getProviderId()) && recordIds.contains(id)) {
                    seen.put(id, e);
                }
            } catch (EventCodec.UndecodableEventException e) {
                // another producer's test message; not ours
            }
            return seen.keySet().containsAll(recordIds);
        }, Duration.ofSeconds(30));
        assertThat(seen.keySet()).as("records on " + topic.topic).containsExactlyInAnyOrderElementsOf(recordIds);
        return seen;
    }
}
