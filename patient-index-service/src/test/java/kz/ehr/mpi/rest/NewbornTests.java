package kz.ehr.mpi.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.identity.Iin;
import kz.ehr.mpi.TestPeople;
import kz.ehr.mpi.TestPeople.Person;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/**
 * Newborns recorded under the mother's IIN before they have their own (API.md patient.motherIin), through the real
 * consumer: ehr.patients.v1 on the broker → linking → PostgreSQL → the REST reads.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_mpi_test"))
class NewbornTests {
    /** A birth date of its own per test (a new instance each): tests sharing the database never share a newborn. */
    final LocalDate born = LocalDate.now(Iin.KAZAKHSTAN).minusDays(10 + ThreadLocalRandom.current().nextInt(330));

    /** A maternity ward's record of a newborn: the mother's surname, phone and address, no IIN and no first name yet. */
    HealthRecordEvent newborn(String provider, String localId, Person mother, String sex, String firstName, String phone) {
        HealthRecordEvent e = TestPeople.patientEvent(provider, localId, null, mother.lastName(), firstName, null, born, sex, phone);
        e.getPatient().setMotherIin(mother.iin());
        return e;
    }

    /** The child's own IIN record, naming the mother as well. */
    HealthRecordEvent ownIinRecord(String provider, String localId, Person mother, String iin, String sex, String firstName) {
        HealthRecordEvent e = TestPeople.patientEvent(provider, localId, iin, mother.lastName(), firstName, null, born, sex, null);
        e.getPatient().setMotherIin(mother.iin());
        return e;
    }

    String childIin(String sex) {
        for (int serial = ThreadLocalRandom.current().nextInt(9000); ; serial++) {
            String iin = Iin.issue(born, sex, serial);
            if (iin != null) {
                return iin;
            }
        }
    }

    @Test
    void aNewbornUnderItsMothersIinIsAPersonOfItsOwnAndJoinsItsOwnIinRecordWhenThatArrives() {
        String run = UUID.randomUUID().toString();
        Person mother = TestPeople.random("F");
        String phone = "+7701" + (1_000_000 + (int) (Math.random() * 8_999_999));
        TestPeople.send(TestPeople.patientEvent("polyclinic", "MOM-" + run, mother.iin(), mother.lastName(), mother.firstName(),
                mother.middleName(), mother.birthDate(), "F", phone));
        String motherId = PatientIndexTests.enterpriseOf("polyclinic", "MOM-" + run);

        TestPeople.send(newborn("maternity", "NB-" + run, mother, "F", null, phone));
        String newbornId = PatientIndexTests.enterpriseOf("maternity", "NB-" + run);
        assertThat(newbornId).isNotEqualTo(motherId);
        PatientIndexTests.staff().get("/api/v1/patients/{id}", newbornId).then().statusCode(200)
                .body("sourceRecords.size()", equalTo(1))
                .body("sourceRecords[0].motherIin", equalTo(mother.iin()))
                .body("sourceRecords[0].linkKind", equalTo("NEW"));

        String own = childIin("F");
        TestPeople.send(ownIinRecord("polyclinic", "CH-" + run, mother, own, "F", "Айару"));
        assertThat(PatientIndexTests.enterpriseOf("polyclinic", "CH-" + run)).isEqualTo(newbornId);
        PatientIndexTests.staff().get("/api/v1/patients/{id}", newbornId).then().statusCode(200)
                .body("golden.iin", equalTo(own))
                .body("sourceRecords.size()", equalTo(2));
        PatientIndexTests.staff().get("/api/v1/patients/{id}/history", newbornId).then().statusCode(200)
                .body("reason", hasItem(org.hamcrest.Matchers.startsWith("NEWBORN")));

        // the mother's next record, with the phone her baby's record carries, still goes to her
        TestPeople.send(TestPeople.patientEvent("maternity", "MOM-" + run, mother.iin(), mother.lastName(), mother.firstName(),
                null, mother.birthDate(), "F", phone));
        assertThat(PatientIndexTests.enterpriseOf("maternity", "MOM-" + run)).isEqualTo(motherId);
        PatientIndexTests.staff().get("/api/v1/patients/{id}", motherId).then().statusCode(200)
                .body("golden.iin", equalTo(mother.iin()))
                .body("sourceRecords.localId", not(hasItem("NB-" + run)));
        PatientIndexTests.staff().get("/api/v1/reviews?status=OPEN&limit=1000").then().statusCode(200)
                .body("findAll { it.localId == 'NB-" + run + "' || it.localId == 'CH-" + run + "' }.size()", equalTo(0));
    }

    @Test
    void twinsOfOneMotherAreTwoPeopleAndEachOwnIinRecordFindsItsTwin() {
        String run = UUID.randomUUID().toString();
        Person mother = TestPeople.random("F");
        TestPeople.send(newborn("maternity", "TW1-" + run, mother, "F", null, null));
        TestPeople.send(newborn("maternity", "TW2-" + run, mother, "M", null, null));
        String girl = PatientIndexTests.enterpriseOf("maternity", "TW1-" + run);
        String boy = PatientIndexTests.enterpriseOf("maternity", "TW2-" + run);
        assertThat(girl).isNotEqualTo(boy);

        TestPeople.send(ownIinRecord("polyclinic", "B-" + run, mother, childIin("M"), "M", "Дамир"));
        TestPeople.send(ownIinRecord("polyclinic", "G-" + run, mother, childIin("F"), "F", "Аружан"));
        assertThat(PatientIndexTests.enterpriseOf("polyclinic", "B-" + run)).isEqualTo(boy);
        assertThat(PatientIndexTests.enterpriseOf("polyclinic", "G-" + run)).isEqualTo(girl);
    }

    @Test
    void twoUnnamedTwinsOfOneSexAreLeftToAPersonWhenTheFirstOwnIinRecordArrives() {
        String run = UUID.randomUUID().toString();
        Person mother = TestPeople.random("F");
        TestPeople.send(newborn("maternity", "A-" + run, mother, "M", null, null));
        TestPeople.send(newborn("maternity", "B-" + run, mother, "M", null, null));
        String a = PatientIndexTests.enterpriseOf("maternity", "A-" + run);
        String b = PatientIndexTests.enterpriseOf("maternity", "B-" + run);
        assertThat(a).isNotEqualTo(b);

        TestPeople.send(ownIinRecord("polyclinic", "C-" + run, mother, childIin("M"), "M", "Алихан"));
        String c = PatientIndexTests.enterpriseOf("polyclinic", "C-" + run);
        assertThat(c).isNotIn(a, b);
        PatientIndexTests.staff().get("/api/v1/reviews?status=OPEN&limit=1000").then().statusCode(200)
                .body("find { it.localId == 'C-" + run + "' }.reason", org.hamcrest.Matchers.startsWith("NEWBORN_AMBIGUOUS"));
    }
}
