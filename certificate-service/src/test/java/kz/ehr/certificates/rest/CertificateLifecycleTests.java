package kz.ehr.certificates.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import kz.ehr.certificates.Records;
import kz.ehr.events.CertificateEvent;
import kz.ehr.events.SourceRef;
import kz.ehr.events.Topics;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestKafka;
import kz.ehr.testsupport.TestTokens;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/** Events in through the real broker, certificates out through REST and certificates.events.v1. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class CertificateLifecycleTests {
    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource dataSource;

    static final Duration DEADLINE = Duration.ofSeconds(40);

    /**
     * Issues once the projection has caught up with the events just sent; on a timeout the failure shows the service's
     * last answer (why it would not issue), not only that the condition was not met.
     */
    static Response issueWhenEligible(String iin, String type) {
        Response[] last = new Response[1];
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last[0] = issue(iin, type);
            assertThat(last[0].statusCode()).as("issuing %s to %s: %s", type, iin, last[0].asString()).isEqualTo(201);
        });
        return last[0];
    }

    /** A clinician's system, stating why. */
    static io.restassured.specification.RequestSpecification clinician() {
        return given().auth().oauth2(TestTokens.of("dr-aliya", Roles.CLINICIAN)).header(Caller.PURPOSE_HEADER, "fitness check");
    }

    static io.restassured.specification.RequestSpecification ops() {
        return given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).header(Caller.PURPOSE_HEADER, "support ticket 42");
    }

    static Response issue(String iin, String type) {
        return clinician().contentType("application/json").body(Map.of("iin", iin, "type", type))
                .when().post("/api/v1/certificates").then().extract().response();
    }

    static Response verify(String token) {
        return given().contentType("application/json").body(Map.of("token", token))
                .when().post("/api/v1/verifications").then().statusCode(200).extract().response();
    }

    static void awaitStatus(String token, String status) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(verify(token).jsonPath().getString("status")).isEqualTo(status));
    }

    /** Why a certificate was revoked, as staff read it (the public answers never say). */
    static String revocationReason(String number) {
        return clinician().when().get("/api/v1/certificates/" + number + "/revocation").then().statusCode(200)
                .extract().jsonPath().getString("reason");
    }

    static CertificateEvent awaitEvent(String number, String kind) {
        List<CertificateEvent> events = TestKafka.readUntil(Topics.CERTIFICATE_EVENTS.topic, CertificateEvent.class,
                e -> e.getCertificateNumber().equals(number) && e.getCertificateEventType().equals(kind), DEADLINE);
        assertThat(events).as(kind + " event of " + number).isNotEmpty();
        return events.get(0);
    }

    @Test
    void aDriverWithAFitExamGetsAVerifiableCertificateThatANarcologicalRegistrationRevokes() throws Exception {
        String iin = Records.newIin();
        Records.patient(iin);
        Records.exam(iin, "DRIVER", "FIT", Records.today().minusDays(30));

        Response issued = issueWhenEligible(iin, "F083");
        String number = issued.jsonPath().getString("number");
        String token = issued.jsonPath().getString("token");
        assertThat(issued.header("Location")).endsWith("/api/v1/certificates/" + number);
        assertThat(issued.jsonPath().getString("form")).isEqualTo("083/у");
        assertThat(issued.jsonPath().getString("name")).isEqualTo("Ахметов Ерлан Серикович");
        assertThat(issued.jsonPath().getString("conclusion")).isEqualTo("FIT");
        // the exam of 30 days ago is evidence for a year: the certificate ends with it
        assertThat(issued.jsonPath().getString("expiresAt")).startsWith(Records.today().minusDays(31).plusYears(1).toString());
        String clearance = issueWhenEligible(iin, "PSYCHIATRIC_CLEARANCE").jsonPath().getString("token");

        Response valid = verify(token);
        assertThat(valid.jsonPath().getString("status")).isEqualTo("VALID");
        assertThat(valid.jsonPath().getString("certificate.no")).isEqualTo(number);
        assertThat(valid.jsonPath().getString("certificate.sub")).isEqualTo(iin);
        assertThat(verify(issued.jsonPath().getString("qr")).jsonPath().getString("status")).isEqualTo("VALID");
        CertificateEvent issuedEvent = awaitEvent(number, "ISSUED");
        assertThat(issuedEvent.getIin()).isEqualTo(iin);
        assertThat(issuedEvent.getKeyId()).isEqualTo(valid.jsonPath().getString("kid"));

        ops().when().get("/api/v1/persons/" + iin + "/events").then().statusCode(200)
                .body("personKey", equalTo(iin)).body("events.recordType", hasItem("EXAM"));

        Records.dispensary(iin, "NARCOLOGICAL", "REGISTERED", Records.today());

        awaitStatus(token, "REVOKED");
        // the public answer says when, never why; the reason is for staff
        io.restassured.path.json.JsonPath revoked = verify(token).jsonPath();
        assertThat(revoked.getString("detail")).isEqualTo("revoked");
        assertThat(java.time.Instant.parse(revoked.getString("revokedAt"))).isAfter(java.time.Instant.parse(issued.jsonPath().getString("issuedAt")));
        assertThat(revocationReason(number)).isEqualTo("REGISTERED_NARCOLOGICAL");
        // replaying the revoked certificate gives the same answer
        assertThat(verify(token).jsonPath().getString("status")).isEqualTo("REVOKED");
        // the internal topic keeps the reason (its consumers are the platform's own services)
        assertThat(awaitEvent(number, "REVOKED").getReason()).isEqualTo("REGISTERED_NARCOLOGICAL");
        // a narcological registration says nothing about the psychiatric register
        assertThat(verify(clearance).jsonPath().getString("status")).isEqualTo("VALID");

        issue(iin, "F083").then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("NOT_ELIGIBLE")).body("reasons.code", equalTo(List.of("REGISTERED_NARCOLOGICAL")));
        given().when().get("/api/v1/revocations/" + valid.jsonPath().getString("kid")).then().statusCode(200)
                .body("revoked.no", hasItem(number));

        // offline: the published JWKS and the signed revocation lists are all a verifier needs
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("offline-verifier");
        java.nio.file.Path jwks = java.nio.file.Files.writeString(dir.resolve("jwks.json"),
                given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().asString());
        java.nio.file.Path lists = java.nio.file.Files.writeString(dir.resolve("revocations.json"),
                given().when().get("/api/v1/revocations").then().statusCode(200).extract().asString());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int exit = kz.ehr.certificates.verifier.VerifyCli.run(new String[] {"--jwks", jwks.toString(), "--revocations", lists.toString(),
                "--token", issued.jsonPath().getString("qr")}, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                java.time.Clock.systemUTC()); // the service under test issued it by the system clock
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("\"REVOKED\"", "revokedAt")
                .doesNotContain("REGISTERED_NARCOLOGICAL");
    }

    @Test
    void everyReasonAgainstIssuingComesBackInOne422() {
        String iin = Records.newIin();
        Records.patient(iin);
        Records.exam(iin, "DRIVER", "FIT", Records.today().minusYears(2));
        Records.dispensary(iin, "PSYCHIATRIC", "REGISTERED", Records.today().minusYears(1));
        await().atMost(DEADLINE).untilAsserted(() -> issue(iin, "F083").then().statusCode(422)
                .contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("reasons.code", equalTo(List.of("EXAM_EXPIRED", "REGISTERED_PSYCHIATRIC"))));

        issue(Records.newIin(), "TB_CLEARANCE").then().statusCode(422).body("reasons.code", equalTo(List.of("PERSON_UNKNOWN")));
        issue("850315300018", "F083").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("IIN_CHECKSUM")).body("field", equalTo("iin"));
        issue(kz.ehr.identity.Iin.issue(Records.today().plusDays(1), "F", 1), "F083").then().statusCode(400)
                .body("code", equalTo("IIN_DATE")).body("detail", equalTo("iin encodes a birth date in the future"));
        issue(iin, "F999").then().statusCode(400).body("code", equalTo("UNKNOWN_CERTIFICATE_TYPE")).body("field", equalTo("type"));
        clinician().when().get("/api/v1/certificates/KZC-19700101-0000000000").then().statusCode(404)
                .body("code", equalTo("CERTIFICATE_NOT_FOUND"));
    }

    @Test
    void deathRevokesEveryCertificateOfThePerson() {
        String iin = Records.newIin();
        Records.patient(iin);
        Records.fluorography(iin, Records.today().minusMonths(1));
        String narcological = issueWhenEligible(iin, "NARCOLOGICAL_CLEARANCE").jsonPath().getString("token");
        Response tbIssued = issueWhenEligible(iin, "TB_CLEARANCE");
        String tb = tbIssued.jsonPath().getString("token");

        Records.death(iin, Records.today());

        awaitStatus(narcological, "REVOKED");
        awaitStatus(tb, "REVOKED");
        assertThat(revocationReason(tbIssued.jsonPath().getString("number"))).isEqualTo("PATIENT_DECEASED");
        issue(iin, "TB_CLEARANCE").then().statusCode(422).body("reasons.code", hasItem("PATIENT_DECEASED"));
    }

    /**
     * A death another provider files without the IIN is the person's once the patient index links its record to them:
     * the link, applied after the death, revokes as the death would have. (The records consumer found no link for it,
     * and the links consumer re-applied nothing: the dead person's certificate stayed VALID.)
     */
    @Test
    void aDeathFiledWithoutTheIinRevokesOnceThePatientIndexLinksItsRecordToThePerson() throws Exception {
        String iin = Records.newIin();
        Records.patient(iin);
        Response issued = issueWhenEligible(iin, "PSYCHIATRIC_CLEARANCE");
        String token = issued.jsonPath().getString("token");
        String localId = "K-dead-" + iin;
        Records.send(Topics.REGISTRY, localId, Records.event("DEATH", "kmis", localId, null)
                .setPatient(kz.ehr.events.PatientInfo.newBuilder().setLocalId(localId).setIinStatus("MISSING")
                        .setLastName("Ахметов").setFirstName("Ерлан").setBirthDate(java.time.LocalDate.of(1985, 3, 15)).build())
                .setDeath(kz.ehr.events.Death.newBuilder().setDate(Records.today()).build()).build());
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> "1".equals(
                bySource("SELECT count(*) FROM person_event WHERE provider_id = ? AND local_id = ?", "kmis", localId)));
        assertThat(verify(token).jsonPath().getString("status")).as("no link yet: nobody known died").isEqualTo("VALID");

        Records.link("LINKED", "E-" + iin, null, iin, List.of(new SourceRef("damumed", "P-" + iin, iin),
                new SourceRef("kmis", localId, null)));

        awaitStatus(token, "REVOKED");
        assertThat(revocationReason(issued.jsonPath().getString("number"))).isEqualTo("PATIENT_DECEASED");
    }

    @Test
    void anMpiMergeRevokesWithIdentityChangedAndBringsTheMergedRecordsToThePerson() {
        String golden = Records.newIin();
        String typo = Records.newIin();
        Records.patient(golden);
        Response beforeIssued = issueWhenEligible(golden, "PSYCHIATRIC_CLEARANCE");
        String before = beforeIssued.jsonPath().getString("token");
        // a driver's exam filed by another provider under a mistyped IIN
        Records.send(Topics.CARE, typo, Records.event("EXAM", "medelement", "M-9", typo)
                .setExam(kz.ehr.events.Exam.newBuilder().setPurpose("DRIVER").setConclusion("FIT")
                        .setDate(Records.today().minusDays(3)).build()).build());
        issue(golden, "F083").then().statusCode(422);

        Records.merged("E-" + golden, golden, List.of(new SourceRef("damumed", "P-" + golden, golden),
                new SourceRef("medelement", "M-9", typo)));

        awaitStatus(before, "REVOKED");
        assertThat(revocationReason(beforeIssued.jsonPath().getString("number"))).isEqualTo("IDENTITY_CHANGED");
        Response driver = issueWhenEligible(golden, "F083");
        assertThat(driver.jsonPath().getString("iin")).isEqualTo(golden);
        assertThat(verify(driver.jsonPath().getString("token")).jsonPath().getString("status")).isEqualTo("VALID");
    }

    @Test
    void aReviewerCorrectingThePatientsIinRevokesWhatWasCertifiedUnderTheFormerOne() throws Exception {
        String wrong = Records.newIin();
        String right = Records.newIin();
        Records.patient(wrong);
        Response underWrongIssued = issueWhenEligible(wrong, "PSYCHIATRIC_CLEARANCE");
        String underWrong = underWrongIssued.jsonPath().getString("token");
        String enterprise = "E-" + wrong;
        List<SourceRef> sources = List.of(new SourceRef("damumed", "P-" + wrong, wrong));
        Records.link("LINKED", enterprise, null, wrong, sources);
        // another source agreeing on the same IIN changes nothing
        Records.link("LINKED", enterprise, null, wrong, List.of(new SourceRef("damumed", "P-" + wrong, wrong),
                new SourceRef("kmis", "K-" + wrong, null)));
        String override = Records.link("GOLDEN_OVERRIDDEN", enterprise, null, right, sources);

        awaitStatus(underWrong, "REVOKED");
        assertThat(revocationReason(underWrongIssued.jsonPath().getString("number"))).isEqualTo("IDENTITY_CHANGED");
        // revoked by the override, not by either link that kept the IIN (all three share a key, so a partition)
        try (java.sql.Connection c = dataSource.getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT revoked_by_event FROM certificate WHERE token = ?")) {
            ps.setString(1, underWrong);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(override);
            }
        }
    }

    /**
     * The patient index names every source of the enterprise in each link event: a source whose link did not change keeps
     * its row as the event that last changed it wrote it (not rewritten: no dead tuple, no index entries).
     */
    @Test
    void aLinkEventRewritesOnlyTheLinksItChanges() throws Exception {
        String iin = Records.newIin();
        String enterprise = "E-" + iin;
        SourceRef first = new SourceRef("damumed", "P-" + iin, iin);
        String firstEvent = Records.link("LINKED", enterprise, null, iin, List.of(first));
        String secondEvent = Records.link("LINKED", enterprise, null, iin, List.of(first, new SourceRef("kmis", "K-" + iin, null)));
        // same key, same partition: once the second event's new row is there, both events were applied
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> secondEvent.equals(linkEvent("kmis", "K-" + iin)));
        assertThat(linkEvent("damumed", "P-" + iin)).isEqualTo(firstEvent);
    }

    @jakarta.inject.Inject
    kz.ehr.certificates.projection.MpiLinks mpiLinks;

    @Test
    void anEventSeesTheLinksTheEventsBeforeItInItsBatchWrote() throws Exception {
        String former = Records.newIin();
        String golden = Records.newIin();
        Records.patient(former);
        String number = issueWhenEligible(former, "PSYCHIATRIC_CLEARANCE").jsonPath().getString("number");
        String enterprise = "E-" + former;
        SourceRef source = new SourceRef("kmis", "K-" + former, null);
        // one polled batch: the first event links the source under the former IIN, the second corrects the IIN; only
        // what the first wrote tells the second that certificates were issued under another IIN
        mpiLinks.apply(List.of(linkDelivery(Records.linkEvent("LINKED", enterprise, null, former, List.of(source))),
                linkDelivery(Records.linkEvent("GOLDEN_OVERRIDDEN", enterprise, null, golden, List.of(source)))));
        assertThat(revocationReason(number)).isEqualTo("IDENTITY_CHANGED");
    }

    static kz.ehr.events.kafka.BatchConsumerLoop.Delivery<kz.ehr.events.MpiLinkEvent> linkDelivery(kz.ehr.events.MpiLinkEvent e) {
        return new kz.ehr.events.kafka.BatchConsumerLoop.Delivery<>(Topics.MPI_LINKS.topic, 0, 0, e.getEnterpriseId(), e, new byte[0]);
    }

    String linkEvent(String provider, String localId) throws java.sql.SQLException {
        return bySource("SELECT event_id FROM mpi_link WHERE provider_id = ? AND local_id = ?", provider, localId);
    }

    /** The first column of the first row of {@code sql}, whose parameters are a source record's provider and local id; null when none. */
    String bySource(String sql, String provider, String localId) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, provider);
            ps.setString(2, localId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void aRedeliveredOrOutdatedRegistrationDoesNotRevokeACertificateIssuedAfterADeregistration() {
        String iin = Records.newIin();
        Records.patient(iin);
        String first = issueWhenEligible(iin, "NARCOLOGICAL_CLEARANCE").jsonPath().getString("token");
        kz.ehr.events.HealthRecordEvent registration = Records.event("DISPENSARY", "damumed", "P-" + iin, iin)
                .setDispensary(kz.ehr.events.Dispensary.newBuilder().setRegister("NARCOLOGICAL").setStatus("REGISTERED")
                        .setDate(Records.today().minusMonths(6)).build()).build();
        Records.send(Topics.REGISTRY, iin, registration);
        awaitStatus(first, "REVOKED");
        Records.dispensary(iin, "NARCOLOGICAL", "DEREGISTERED", Records.today().minusDays(1));
        Response second = issueWhenEligible(iin, "NARCOLOGICAL_CLEARANCE");
        String number = second.jsonPath().getString("number");

        Records.send(Topics.REGISTRY, iin, registration); // the same event again, as after a crash before the commit
        Records.dispensary(iin, "NARCOLOGICAL", "REGISTERED", Records.today().minusMonths(3)); // news from before the deregistration
        Records.send(Topics.REGISTRY, iin, Records.event("ATTACHMENT", "damumed", "P-" + iin, iin)
                .setAttachment(kz.ehr.events.Attachment.newBuilder().setPolyclinicBin("990340000013")
                        .setFrom(Records.today().minusYears(1)).build()).build());
        // same key, same partition: once the attachment is stored, the two registrations before it were applied
        await().atMost(DEADLINE).untilAsserted(() -> ops().when().get("/api/v1/persons/" + iin + "/events").then()
                .body("events.recordType", hasItem("ATTACHMENT")));
        clinician().when().get("/api/v1/certificates/" + number).then().statusCode(200).body("status", equalTo("ACTIVE"));
        assertThat(verify(second.jsonPath().getString("token")).jsonPath().getString("status")).isEqualTo("VALID");
    }

    @Test
    void aLaterUnfitExamOrAnAbnormalFluorographyRevokesTheCertificatesIssuedOnTheEarlierResult() {
        String iin = Records.newIin();
        Records.patient(iin);
        Records.exam(iin, "DRIVER", "FIT", Records.today().minusMonths(2));
        Records.exam(iin, "EMPLOYMENT", "FIT", Records.today().minusMonths(2));
        Records.fluorography(iin, Records.today().minusMonths(2));
        Response driverIssued = issueWhenEligible(iin, "F083");
        Response workIssued = issueWhenEligible(iin, "F075");
        Response tbIssued = issueWhenEligible(iin, "TB_CLEARANCE");
        String narcological = issueWhenEligible(iin, "NARCOLOGICAL_CLEARANCE").jsonPath().getString("token");

        // news from before the evidence (an older UNFIT, an older abnormal fluorography) overrules nothing
        Records.exam(iin, "DRIVER", "UNFIT", Records.today().minusMonths(5));
        Records.fluorography(iin, Records.today().minusMonths(5), "ABNORMAL");
        Records.exam(iin, "EMPLOYMENT", "FIT_WITH_RESTRICTIONS", Records.today().minusDays(1));
        awaitStoredCount(iin, "EXAM", 4);
        awaitStoredCount(iin, "OBSERVATION", 2);
        for (Response r : List.of(driverIssued, workIssued, tbIssued)) {
            clinician().when().get("/api/v1/certificates/" + r.jsonPath().getString("number")).then().statusCode(200)
                    .body("status", equalTo("ACTIVE"));
        }

        Records.exam(iin, "DRIVER", "UNFIT", Records.today());
        awaitStatus(driverIssued.jsonPath().getString("token"), "REVOKED");
        assertThat(revocationReason(driverIssued.jsonPath().getString("number"))).isEqualTo("EXAM_UNFIT");
        assertThat(awaitEvent(driverIssued.jsonPath().getString("number"), "REVOKED").getReason()).isEqualTo("EXAM_UNFIT");
        // a DRIVER exam says nothing about employment or the lungs
        assertThat(verify(workIssued.jsonPath().getString("token")).jsonPath().getString("status")).isEqualTo("VALID");
        assertThat(verify(tbIssued.jsonPath().getString("token")).jsonPath().getString("status")).isEqualTo("VALID");
        issue(iin, "F083").then().statusCode(422).body("reasons.code", equalTo(List.of("EXAM_UNFIT")));

        Records.fluorography(iin, Records.today(), "PATHOLOGY");
        awaitStatus(workIssued.jsonPath().getString("token"), "REVOKED");
        awaitStatus(tbIssued.jsonPath().getString("token"), "REVOKED");
        assertThat(revocationReason(workIssued.jsonPath().getString("number"))).isEqualTo("FLUOROGRAPHY_ABNORMAL");
        assertThat(revocationReason(tbIssued.jsonPath().getString("number"))).isEqualTo("FLUOROGRAPHY_ABNORMAL");
        // the narcological clearance relies on neither
        assertThat(verify(narcological).jsonPath().getString("status")).isEqualTo("VALID");
        issue(iin, "TB_CLEARANCE").then().statusCode(422).body("reasons.code", equalTo(List.of("FLUOROGRAPHY_ABNORMAL")));
    }

    /** Same key, same partition: once this many events of the type are stored, every event sent before them was applied. */
    static void awaitStoredCount(String iin, String recordType, int count) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(ops()
                .when().get("/api/v1/persons/" + iin + "/events?limit=1000").then().statusCode(200).extract().jsonPath()
                .getList("events.recordType", String.class)).filteredOn(recordType::equals).hasSize(count));
    }
}
