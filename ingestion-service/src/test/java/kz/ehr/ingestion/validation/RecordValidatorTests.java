package kz.ehr.ingestion.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import kz.ehr.events.Topics;

class RecordValidatorTests {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ValidationPolicy POLICY = ValidationPolicy.at(Instant.parse("2025-06-01T06:00:00Z"));
    static final String ENCOUNTER = """
            {"recordId":"enc-1","type":"ENCOUNTER","occurredAt":"2025-03-01T10:15:00+05:00",
             "patient":{"localId":"P-77","iin":"850315300019","lastName":"  Ахметов ","firstName":"Ерлан","middleName":"Серикович",
                        "birthDate":"1985-03-15","sex":"M","phone":"8 (701) 123-45-67","address":"Алматы"},
             "encounter":{"encounterId":"E-1","polyclinicBin":"100140000013","doctorId":"D-1","start":"2025-03-01T10:15:00+05:00",
                          "end":"2025-03-01T10:40:00+05:00","kind":"VISIT","diagnoses":["i10"," A15.0"],"services":["S-1"],"referral":false}}""";

    static ObjectNode encounter() throws Exception {
        return (ObjectNode) JSON.readTree(ENCOUNTER);
    }

    /** Sets (or, with "<remove>", removes) a dotted path in the record. */
    static ObjectNode with(ObjectNode record, String path, String jsonValue) throws Exception {
        String[] parts = path.split("\\.");
        ObjectNode node = record;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        if ("<remove>".equals(jsonValue)) {
            node.remove(parts[parts.length - 1]);
        } else {
            node.set(parts[parts.length - 1], JSON.readTree(jsonValue));
        }
        return record;
    }

    @Test
    void aGoodEncounterIsNormalisedAndRoutedToCareKeyedByIin() throws Exception {
        ValidatedRecord v = RecordValidator.validate("damumed", encounter(), POLICY);
        assertThat(v.errors()).isEmpty();
        assertThat(v.warnings()).isEmpty();
        assertThat(v.topic()).isEqualTo(Topics.CARE);
        assertThat(v.key()).isEqualTo("850315300019");
        assertThat(v.event().getPatient().getLastName()).isEqualTo("Ахметов");
        assertThat(v.event().getPatient().getLastNameNorm()).isEqualTo("ахметов");
        assertThat(v.event().getPatient().getPhone()).isEqualTo("+77011234567");
        assertThat(v.event().getPatient().getIinStatus()).isEqualTo("VALID");
        assertThat(v.event().getEncounter().getDiagnoses()).containsExactly("I10", "A15.0");
        assertThat(v.event().getEnvelope().getProviderId()).isEqualTo("damumed");
        assertThat(v.event().getEnvelope().getOccurredAt()).isEqualTo(Instant.parse("2025-03-01T05:15:00Z"));
    }

    @ParameterizedTest(name = "{0} = {1} rejects with {2} at {3}")
    @CsvSource(delimiter = '|', value = {
            "recordId               | <remove>                       | REQUIRED              | recordId",
            "recordId               | 42                             | WRONG_TYPE            | recordId",
            "type                   | \"SURGERY\"                    | UNKNOWN_TYPE          | type",
            "color                  | \"red\"                        | UNKNOWN_FIELD         | color",
            "exam                   | {}                             | UNKNOWN_FIELD         | exam",
            "patient                | <remove>                       | REQUIRED              | patient",
            "patient                | \"P-1\"                        | WRONG_TYPE            | patient",
            "patient.localId        | <remove>                       | REQUIRED              | patient.localId",
            "patient.nickname       | \"Ера\"                        | UNKNOWN_FIELD         | patient.nickname",
            "patient.sex            | \"X\"                          | INVALID_ENUM          | patient.sex",
            "patient.birthDate      | \"2030-01-01\"                 | FUTURE_DATE           | patient.birthDate",
            "patient.birthDate      | \"1985-02-30\"                 | INVALID_DATE          | patient.birthDate",
            "patient.firstName      | \"Ер\\u0000лан\"               | CONTROL_CHARACTER     | patient.firstName",
            "patient.firstName      | \"\\ud800x\"                   | INVALID_UNICODE       | patient.firstName",
            "patient.lastName       | [\"Ахметов\"]                  | WRONG_TYPE            | patient.lastName",
            "encounter              | <remove>                       | REQUIRED              | encounter",
            "encounter              | []                             | WRONG_TYPE            | encounter",
            "encounter.polyclinicBin| <remove>                       | REQUIRED              | encounter.polyclinicBin",
            "encounter.polyclinicBin| \"850315300018\"               | BIN_CHECKSUM          | encounter.polyclinicBin",
            "encounter.polyclinicBin| \"10014000001\"                | BIN_FORMAT            | encounter.polyclinicBin",
            "encounter.polyclinicBin| \"101340000013\"               | BIN_DATE              | encounter.polyclinicBin",
            "encounter.polyclinicBin| \"850315300019\"               | BIN_TYPE              | encounter.polyclinicBin",
            "encounter.polyclinicBin| \"100144000015\"               | BIN_ATTRIBUTE         | encounter.polyclinicBin",
            "encounter.kind         | \"SURGERY\"                    | INVALID_ENUM          | encounter.kind",
            "encounter.start        | \"01.03.2025 10:15\"           | INVALID_DATE          | encounter.start",
            "encounter.start        | \"2025-03-01T10:15:00\"        | INVALID_DATE          | encounter.start",
            "encounter.start        | \"2026-01-01T10:15:00+05:00\"  | FUTURE_DATE           | encounter.start",
            "encounter.start        | \"1980-01-01T10:15:00+05:00\"  | BEFORE_BIRTH          | encounter.start",
            "encounter.end          | \"2025-03-01T09:00:00+05:00\"  | PERIOD_ORDER          | encounter.end",
            "encounter.diagnoses    | [\"I10\",\"hypertension\"]     | ICD10_FORMAT          | encounter.diagnoses[1]",
            "encounter.diagnoses    | \"I10\"                        | WRONG_TYPE            | encounter.diagnoses",
            "encounter.diagnoses    | [\"I10\", 7]                   | WRONG_TYPE            | encounter.diagnoses[1]",
            "encounter.screening    | \"CERVICAL\"                   | SCREENING_WITHOUT_KIND| encounter.screening",
            "encounter.referral     | \"yes\"                        | WRONG_TYPE            | encounter.referral",
            "occurredAt             | \"2025-13-01T10:15:00+05:00\"  | INVALID_DATE          | occurredAt",
            "occurredAt             | \"2099-03-01T10:15:00+05:00\"  | FUTURE_DATE           | occurredAt",
    })
    void aBadFieldRejectsTheRecordWithItsCodeAndPath(String path, String value, String code, String field) throws Exception {
        ValidatedRecord v = RecordValidator.validate("damumed", with(encounter(), path, value), POLICY);
        assertThat(v.accepted()).isFalse();
        assertThat(v.errors()).anySatisfy(e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.message()).isNotBlank();
        });
    }

    @ParameterizedTest(name = "{0} = {1} is accepted with warning {2}, IIN status {3}")
    @CsvSource(delimiter = '|', value = {
            "patient.iin       | \"850315300018\" | IIN_CHECKSUM           | INVALID",
            "patient.iin       | \"85031530001\"  | IIN_FORMAT             | INVALID",
            "patient.iin       | 850315300019     | <none>                 | VALID",
            "patient.iin       | \"850230300017\" | IIN_DATE               | INVALID",
            "patient.iin       | \"250602500016\" | IIN_DATE               | INVALID",  // born the day after POLICY's today
            "patient.iin       | \"700101100012\" | IIN_DATE               | INVALID",  // 1870: before 1880
            "patient.sex       | \"F\"            | IIN_SEX_MISMATCH       | VALID",
            "patient.birthDate | \"1985-03-16\"   | IIN_BIRTHDATE_MISMATCH | VALID",
            "patient.phone     | \"12345\"        | PHONE_FORMAT           | VALID",
            "patient.iin       | <remove>         | <none>                 | MISSING",
    })
    void identityProblemsOnlyWarn(String path, String value, String warning, String iinStatus) throws Exception {
        ValidatedRecord v = RecordValidator.validate("damumed", with(encounter(), path, value), POLICY);
        assertThat(v.errors()).isEmpty();
        if (warning.equals("<none>")) {
            assertThat(v.warnings()).isEmpty();
        } else {
            assertThat(v.warnings()).extracting(RecordError::code).contains(warning);
            assertThat(v.event().getWarnings()).contains(warning);
        }
        assertThat(v.event().getPatient().getIinStatus()).isEqualTo(iinStatus);
        assertThat(v.key()).isEqualTo(iinStatus.equals("VALID") ? "850315300019" : "damumed:P-77");
    }

    @ParameterizedTest(name = "motherIin {0} → {1}")
    @CsvSource(nullValues = "<none>", value = {
            "900101400013, <none>,              900101400013",
            "900101400014, MOTHER_IIN_CHECKSUM, <none>",
            "9001014000,   MOTHER_IIN_FORMAT,   <none>",
            "250602600012, MOTHER_IIN_DATE,     <none>",
    })
    void aNewbornNamesItsMotherByAValidIin(String motherIin, String warning, String kept) throws Exception {
        ObjectNode record = with(with(encounter(), "patient.iin", "<remove>"), "patient.motherIin", "\"" + motherIin + "\"");
        ValidatedRecord v = RecordValidator.validate("roddom", record, POLICY);
        assertThat(v.errors()).isEmpty();
        assertThat(v.event().getPatient().getMotherIin()).isEqualTo(kept);
        assertThat(v.event().getPatient().getIinStatus()).isEqualTo("MISSING");
        // a newborn without an IIN of its own is keyed by its record, never by its mother's IIN
        assertThat(v.key()).isEqualTo("roddom:P-77");
        if (warning == null) {
            assertThat(v.warnings()).isEmpty();
        } else {
            assertThat(v.warnings()).singleElement().satisfies(w -> {
                assertThat(w.code()).isEqualTo(warning);
                assertThat(w.field()).isEqualTo("patient.motherIin");
            });
        }
    }

    @Test
    void aMothersIinThatIsTheRecordsOwnIsDropped() throws Exception {
        ValidatedRecord v = RecordValidator.validate("roddom", with(encounter(), "patient.motherIin", "\"850315300019\""), POLICY);
        assertThat(v.warnings()).extracting(RecordError::code).containsExactly("MOTHER_IIN_IS_OWN");
        assertThat(v.event().getPatient().getMotherIin()).isNull();
        assertThat(v.event().getPatient().getIin()).isEqualTo("850315300019");
    }

    @Test
    void aLongStringIsRejectedNotTruncated() throws Exception {
        ValidatedRecord v = RecordValidator.validate("damumed", with(encounter(), "patient.lastName", "\"" + "а".repeat(101) + "\""), POLICY);
        assertThat(v.errors()).extracting(RecordError::code).containsExactly("TOO_LONG");
    }

    @Test
    void scriptAndSqlInNamesAreDataNotErrors() throws Exception {
        String name = "<script>alert(1)</script>'; DROP TABLE source_record; --";
        ValidatedRecord v = RecordValidator.validate("damumed",
                with(encounter(), "patient.lastName", JSON.writeValueAsString(name)), POLICY);
        assertThat(v.errors()).isEmpty();
        assertThat(v.event().getPatient().getLastName()).isEqualTo(name);
    }

    @ParameterizedTest(name = "{0} goes to {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"recordId\":\"r\",\"type\":\"PATIENT\",\"patient\":{\"localId\":\"P\"}}                                              | ehr.patients.v1",
            "{\"recordId\":\"r\",\"type\":\"ATTACHMENT\",\"patient\":{\"localId\":\"P\"},\"attachment\":{\"polyclinicBin\":\"100140000013\",\"from\":\"01.02.2024\"}} | ehr.registry.v1",
            "{\"recordId\":\"r\",\"type\":\"INSURANCE\",\"patient\":{\"localId\":\"P\"},\"insurance\":{\"insured\":true,\"from\":\"2024-01-01\",\"to\":\"2026-12-31\"}} | ehr.registry.v1",
            "{\"recordId\":\"r\",\"type\":\"DISPENSARY\",\"patient\":{\"localId\":\"P\"},\"dispensary\":{\"register\":\"TB\",\"status\":\"REGISTERED\",\"date\":\"2024-01-01\"}} | ehr.registry.v1",
            "{\"recordId\":\"r\",\"type\":\"DEATH\",\"patient\":{\"localId\":\"P\"},\"death\":{\"date\":\"2024-01-01\"}}               | ehr.registry.v1",
            "{\"recordId\":\"r\",\"type\":\"OBSERVATION\",\"patient\":{\"localId\":\"P\"},\"observation\":{\"code\":\"FLUOROGRAPHY\",\"value\":5.4}} | ehr.care.v1",
            "{\"recordId\":\"r\",\"type\":\"IMMUNIZATION\",\"patient\":{\"localId\":\"P\"},\"immunization\":{\"vaccine\":\"MMR\",\"dose\":1,\"date\":\"2024-01-01\"}} | ehr.care.v1",
            "{\"recordId\":\"r\",\"type\":\"EXAM\",\"patient\":{\"localId\":\"P\"},\"exam\":{\"purpose\":\"DRIVER\",\"conclusion\":\"FIT\",\"date\":\"2024-01-01\"}} | ehr.care.v1",
            "{\"recordId\":\"r\",\"type\":\"HOSPITALIZATION\",\"patient\":{\"localId\":\"P\"},\"hospitalization\":{\"facilityBin\":\"100140000013\",\"admittedAt\":\"2024-01-01T08:00:00Z\"}} | ehr.care.v1",
    })
    void everyTypeIsRoutedToItsTopic(String json, String topic) throws Exception {
        ValidatedRecord v = RecordValidator.validate("kmis", JSON.readTree(json), POLICY);
        assertThat(v.errors()).isEmpty();
        assertThat(v.topic().topic).isEqualTo(topic);
        assertThat(v.key()).isEqualTo("kmis:P");
    }

    @Test
    void dottedDatesAreNormalisedToIso() throws Exception {
        JsonNode json = JSON.readTree("""
                {"recordId":"r","type":"ATTACHMENT","patient":{"localId":"P"},"attachment":{"polyclinicBin":"100140000013","from":"01.02.2024"}}""");
        assertThat(RecordValidator.validate("kmis", json, POLICY).event().getAttachment().getFrom()).isEqualTo(LocalDate.of(2024, 2, 1));
    }

    @Test
    void everyProblemOfARecordIsReportedAtOnce() throws Exception {
        ObjectNode r = with(with(encounter(), "encounter.kind", "\"X\""), "patient.sex", "\"Q\"");
        assertThat(RecordValidator.validate("damumed", r, POLICY).errors()).extracting(RecordError::field)
                .containsExactlyInAnyOrder("encounter.kind", "patient.sex");
    }
}
