package kz.ehr.mpi.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import kz.ehr.events.Encounter;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.Topics;
import kz.ehr.mpi.TestPeople;
import kz.ehr.mpi.TestPeople.Person;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestKafka;
import kz.ehr.testsupport.TestSql;

/**
 * Issue #14's flood shape for the patient index, at a smaller size than the national one: one person's IIN on
 * thousands of demographic records (a broken MIS that mints a new local id per visit) and tens of thousands of care
 * records. Everything lands, on one enterprise id, and the person's record list stays paged.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_mpi_test"))
class FloodShapesTests {
    static final Duration DEADLINE = Duration.ofSeconds(240);

    @Inject
    AgroalDataSource dataSource;

    @Test
    void onePersonOnFifteenHundredDemographicRecordsAndTenThousandVisitsIsOnePatient() throws Exception {
        Person p = TestPeople.random("F");
        int sources = 1_500;
        int visits = 10_000;
        List<Map.Entry<String, HealthRecordEvent>> patients = new ArrayList<>(sources);
        for (int i = 0; i < sources; i++) {
            patients.add(Map.entry(p.iin(), TestPeople.patientEvent("damumed", "FLOOD-" + i + "-" + p.iin(), p.iin(), p.lastName(),
                    p.firstName(), p.middleName(), p.birthDate(), p.sex(), null)));
        }
        TestKafka.sendAll(Topics.PATIENTS.topic, patients);
        String firstLocal = "FLOOD-0-" + p.iin();
        List<Map.Entry<String, HealthRecordEvent>> care = new ArrayList<>(visits);
        Instant start = Instant.parse("2026-10-01T04:00:00Z");
        for (int i = 0; i < visits; i++) {
            care.add(Map.entry("damumed:" + firstLocal, HealthRecordEvent.newBuilder()
                    .setEnvelope(Envelopes.of(UUID.randomUUID().toString(), "ENCOUNTER", "damumed", "enc-" + UUID.randomUUID(),
                            start.plusSeconds(i), Instant.now(), null))
                    .setRecordType("ENCOUNTER")
                    .setPatient(PatientInfo.newBuilder().setLocalId(firstLocal).setIinStatus("MISSING").build())
                    .setEncounter(Encounter.newBuilder().setPolyclinicBin("990140000011").setStart(start.plusSeconds(i))
                            .setKind("VISIT").setDiagnoses(List.of("J06.9")).setServices(List.of()).build())
                    .setWarnings(List.of())
                    .build()));
        }
        TestKafka.sendAll(Topics.CARE.topic, care);

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() -> count(
                "SELECT count(*) FROM source_record WHERE local_id LIKE 'FLOOD-%-' || ?", p.iin()) == sources);
        assertThat(count("SELECT count(DISTINCT enterprise_id) FROM source_record WHERE local_id LIKE 'FLOOD-%-' || ?", p.iin()))
                .as("one person, one enterprise id").isEqualTo(1);
        String id = PatientIndexTests.enterpriseOf("damumed", firstLocal);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() -> count(
                "SELECT count(*) FROM located_record WHERE local_id = ?", firstLocal) == visits);

        PatientIndexTests.staff().get("/api/v1/patients/{id}", id).then().statusCode(200)
                .body("golden.lastName", equalTo(p.lastName()));
        List<?> firstPage = PatientIndexTests.clinician("dr-flood").get("/api/v1/patients/{id}/records", id).then().statusCode(200)
                .extract().jsonPath().getList("records");
        assertThat(firstPage).as("a page, not the whole history").isNotEmpty().hasSizeLessThan(visits);
    }

    private long count(String sql, String parameter) throws Exception {
        return TestSql.count(dataSource, sql, parameter);
    }
}
