package kz.ehr.billing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import kz.ehr.billing.export.CsvRecords;
import kz.ehr.events.Attachment;
import kz.ehr.events.Encounter;
import kz.ehr.events.Envelopes;
import kz.ehr.events.GoldenRecord;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.SourceRef;
import kz.ehr.events.Topics;
import kz.ehr.identity.Bin;
import kz.ehr.identity.Iin;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestKafka;
import kz.ehr.testsupport.TestTokens;

/**
 * One IIN, two people: two providers send it with clearly different names, patronymics, sexes and birth dates, and
 * the patient index keeps them apart as two enterprise patients (an IIN_CONFLICT review, opened, then rejected). Billing
 * keys persons by IIN; it must never show or price one of them with the other's fields, and must show the case. Through
 * the real broker and PostgreSQL, with the mpi.links.v1 events the patient index publishes for such a review.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class SharedIinTests {
    static final Duration WAIT = Duration.ofSeconds(120);
    /** A polyclinic of this test alone (the test database is shared by the module's test classes). */
    static final String BIN = Bin.issue(2018, 4, 1818);
    /** Where Сейтқали is seen without a referral (attached at {@link #BIN}). */
    static final String ELSEWHERE = Bin.issue(2018, 4, 1819);
    /** Issued to Ким Ольга Юрьевна (F, 1990); Сейтқали Арман's polyclinic typed it for him too. */
    static final String IIN = Iin.issue(LocalDate.of(1990, 5, 12), "F", 4818);
    static final String KIM_PROVIDER = "damumed", SEITKALI_PROVIDER = "medelement";
    static final String ENTERPRISE_KIM = UUID.nameUUIDFromBytes("shared-iin kim".getBytes()).toString();
    static final String ENTERPRISE_SEITKALI = UUID.nameUUIDFromBytes("shared-iin seitkali".getBytes()).toString();

    @Inject
    AgroalDataSource dataSource;

    static RequestSpecification ops() {
        return given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).header("X-Purpose", "shared IIN test");
    }

    static RequestSpecification reviewer() {
        return given().auth().oauth2(TestTokens.of("dana", Roles.REVIEWER));
    }

    static PatientInfo kim() {
        return PatientInfo.newBuilder().setLocalId("K-1").setIin(IIN).setIinStatus("VALID").setLastName("Ким").setFirstName("Ольга")
                .setMiddleName("Юрьевна").setSex("F").setBirthDate(LocalDate.of(1990, 5, 12)).setPhone("+77010000001")
                .setAddress("Алматы, Абая 1").build();
    }

    /** No patronymic sent: the field a merge by IIN fills from the other person. */
    static PatientInfo seitkali(String phone) {
        return PatientInfo.newBuilder().setLocalId("S-1").setIin(IIN).setIinStatus("VALID").setLastName("Сейтқали").setFirstName("Арман")
                .setSex("M").setBirthDate(LocalDate.of(1972, 8, 3)).setPhone(phone).setAddress("Шымкент, Тауке хана 5").build();
    }

    static GoldenRecord golden(PatientInfo p) {
        return GoldenRecord.newBuilder().setIin(p.getIin()).setLastName(p.getLastName()).setFirstName(p.getFirstName())
                .setMiddleName(p.getMiddleName()).setSex(p.getSex()).setBirthDate(p.getBirthDate()).setPhone(p.getPhone())
                .setAddress(p.getAddress()).build();
    }

    /** Sends a record as ingestion publishes it; its record id. */
    static String send(String provider, Topics topic, String type, PatientInfo patient, Attachment attachment) {
        String id = UUID.randomUUID().toString();
        HealthRecordEvent e = HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(id, type, provider, "rec-" + id, Instant.now(), Instant.now(), null))
                .setRecordType(type).setPatient(patient).setAttachment(attachment).build();
        TestKafka.send(topic.topic, patient.getIin(), e);
        return e.getEnvelope().getSourceRecordId();
    }

    /** An mpi.links.v1 event as LinkChange writes it: the enterprise patient's golden record and every source linked to it. */
    static void mpi(String type, String enterpriseId, String previous, String provider, PatientInfo linked) {
        mpi(type, enterpriseId, previous, provider, linked, List.of(SourceRef.newBuilder().setProviderId(provider)
                .setLocalId(linked.getLocalId()).setIin(IIN).build()));
    }

    static void mpi(String type, String enterpriseId, String previous, String provider, PatientInfo linked, List<SourceRef> sources) {
        String id = UUID.randomUUID().toString();
        MpiLinkEvent e = MpiLinkEvent.newBuilder()
                .setEnvelope(Envelopes.of(id, "MpiLinkEvent." + type, "patient-index", provider + ":" + linked.getLocalId(), Instant.now(),
                        Instant.now(), null))
                .setLinkEventType(type).setEnterpriseId(enterpriseId).setPreviousEnterpriseId(previous)
                .setSourceProviderId(provider).setSourceLocalId(linked.getLocalId()).setSourceIin(IIN)
                .setReason(type.startsWith("REVIEW") ? "IIN_CONFLICT: same IIN but clearly different demographics" : null)
                .setGolden(golden(linked))
                .setLinkedSources(sources)
                .build();
        TestKafka.send(Topics.MPI_LINKS.topic, enterpriseId, e);
    }

    static Attachment attachment(String from) {
        return Attachment.newBuilder().setPolyclinicBin(BIN).setRegion("ALMATY").setFrom(LocalDate.parse(from)).build();
    }

    long count(String sql, String... values) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", values));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void awaitStored(String... recordIds) {
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM person_event WHERE source_record_id = ANY(?)", recordIds) == recordIds.length);
    }

    void awaitLinked(String... sourceKeys) {
        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM source_link WHERE source_key = ANY(?)", sourceKeys) == sourceKeys.length);
    }

    static Map<String, Object> outreachItem() {
        List<Map<String, Object>> items = ops().get("/api/v1/outreach?polyclinic=" + BIN + "&noVisitMonths=12&asOf=2025-06-30")
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(items).as("one person attached to the polyclinic").hasSize(1);
        return items.get(0);
    }

    @Test
    void twoEnterprisePatientsUnderOneIinAreNeverShownOrPricedWithEachOthersFields() {
        // Ким's polyclinic, years ago; the patient index links her record
        String kimPatient = send(KIM_PROVIDER, Topics.PATIENTS, "PATIENT", kim(), null);
        String kimAttached = send(KIM_PROVIDER, Topics.REGISTRY, "ATTACHMENT", kim(), attachment("2019-01-01"));
        mpi("LINKED", ENTERPRISE_KIM, null, KIM_PROVIDER, kim());
        // Сейтқали attaches with the same IIN; the index gives him an enterprise patient of his own and opens an
        // IIN_CONFLICT review against Ким's (the REVIEW_OPENED event names her patient and her sources)
        String seitkaliPatient = send(SEITKALI_PROVIDER, Topics.PATIENTS, "PATIENT", seitkali("+77020000002"), null);
        String seitkaliAttached = send(SEITKALI_PROVIDER, Topics.REGISTRY, "ATTACHMENT", seitkali("+77020000002"), attachment("2024-01-01"));
        mpi("LINKED", ENTERPRISE_SEITKALI, null, SEITKALI_PROVIDER, seitkali("+77020000002"));
        mpi("REVIEW_OPENED", ENTERPRISE_KIM, ENTERPRISE_SEITKALI, SEITKALI_PROVIDER, kim());
        awaitStored(kimPatient, kimAttached, seitkaliPatient, seitkaliAttached);
        awaitLinked(KIM_PROVIDER + ":K-1", SEITKALI_PROVIDER + ":S-1");

        // review open: the attachment on the list is Сейтқали's (the later one); it shows him, whole, and the case
        Map<String, Object> item = outreachItem();
        assertThat(item.get("iin")).isEqualTo(IIN);
        assertThat(List.of(item.get("lastName"), item.get("firstName"))).containsExactly("Сейтқали", "Арман");
        assertThat(item.get("middleName")).as("no patronymic of Ким's").isNull();
        assertThat(item.get("phone")).isEqualTo("+77020000002");
        assertThat(item.get("identityInReview")).isEqualTo(true);

        List<List<String>> csv = CsvRecords.parse(ops().get("/api/v1/outreach?polyclinic=" + BIN + "&noVisitMonths=12&asOf=2025-06-30&format=csv")
                .then().statusCode(200).extract().asString());
        assertThat(csv.get(0)).startsWith("iin", "lastName", "firstName", "middleName", "phone", "address", "lastVisit", "attachedSince")
                .endsWith("identityInReview");
        assertThat(csv.get(1)).containsSubsequence(IIN, "Сейтқали", "Арман", "", CsvRecords.neutralised("+77020000002")).endsWith("true");

        // the statement prices him, the attached person: his sex and age band, paid once for the IIN, flagged for the auditor
        ops().post("/api/v1/capitation/2025-06/run").then().statusCode(200);
        List<Map<String, Object>> lines = ops().get("/api/v1/capitation/2025-06/polyclinics/{bin}/lines", BIN).then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).containsEntry("iin", IIN).containsEntry("sex", "M").containsEntry("ageBand", "AGE_50_59")
                .containsEntry("identityInReview", true);
        List<List<String>> statement = CsvRecords.parse(ops().accept("text/csv").get("/api/v1/capitation/2025-06/polyclinics/{bin}/lines", BIN)
                .then().statusCode(200).extract().asString());
        assertThat(statement.get(0)).endsWith("reasons", "identityInReview");
        assertThat(statement.get(1).get(3)).isEqualTo("M");
        assertThat(statement.get(1)).endsWith("true");

        // he is seen at another polyclinic without a referral: the monitor flags the visit, and the flag says whose IIN it is
        String visitId = UUID.randomUUID().toString();
        TestKafka.send(Topics.CARE.topic, IIN, HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(visitId, "ENCOUNTER", SEITKALI_PROVIDER, "rec-" + visitId, Instant.now(), Instant.now(), null))
                .setRecordType("ENCOUNTER").setPatient(seitkali("+77020000002"))
                .setEncounter(Encounter.newBuilder().setPolyclinicBin(ELSEWHERE).setDoctorId("D-SHARED")
                        .setStart(Instant.parse("2025-09-10T04:00:00Z")).setEnd(Instant.parse("2025-09-10T04:15:00Z"))
                        .setKind("VISIT").setServices(List.of("A01")).setReferral(false).build()).build());
        Map<String, Object> flag = await().atMost(WAIT).until(() -> {
            List<Map<String, Object>> flags = reviewer().get("/api/v1/fraud/flags?rule=NOT_ATTACHED_NO_REFERRAL&polyclinic=" + ELSEWHERE).then().statusCode(200)
                    .extract().jsonPath().getList("items");
            return flags.isEmpty() ? null : flags.get(0);
        }, f -> f != null);
        assertThat(flag).containsEntry("ruleId", "NOT_ATTACHED_NO_REFERRAL").containsEntry("identityInReview", true);
        String flagId = (String) flag.get("flagId");
        reviewer().get("/api/v1/fraud/flags/{id}", flagId).then().statusCode(200)
                .body("flag.identityInReview", org.hamcrest.Matchers.equalTo(true));

        // the reviewer rejects (two people); Сейтқали's polyclinic then sends his new phone, still without a patronymic
        mpi("REVIEW_RESOLVED", ENTERPRISE_KIM, ENTERPRISE_SEITKALI, SEITKALI_PROVIDER, kim());
        String update = send(SEITKALI_PROVIDER, Topics.PATIENTS, "PATIENT", seitkali("+77020000003"), null);
        awaitStored(update);
        item = outreachItem();
        assertThat(List.of(item.get("lastName"), item.get("firstName"))).containsExactly("Сейтқали", "Арман");
        assertThat(item.get("middleName")).as("no patronymic of Ким's").isNull();
        assertThat(item.get("identityInReview")).as("still two people under one IIN").isEqualTo(true);

        // should the index later merge them (one person after all), the IIN is one enterprise patient's again
        mpi("MERGED", ENTERPRISE_KIM, ENTERPRISE_SEITKALI, SEITKALI_PROVIDER, kim(), List.of(
                SourceRef.newBuilder().setProviderId(KIM_PROVIDER).setLocalId("K-1").setIin(IIN).build(),
                SourceRef.newBuilder().setProviderId(SEITKALI_PROVIDER).setLocalId("S-1").setIin(IIN).build()));
        await().atMost(WAIT).until(() -> count("SELECT count(DISTINCT enterprise_id) FROM source_link WHERE person_key = ANY(?)", IIN) == 1);
        assertThat(outreachItem().get("identityInReview")).isEqualTo(false);
        reviewer().get("/api/v1/fraud/flags/{id}", flagId).then().statusCode(200)
                .body("flag.identityInReview", org.hamcrest.Matchers.equalTo(false));
    }
}
