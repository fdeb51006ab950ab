package kz.ehr.mpi.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import kz.ehr.events.Encounter;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.Topics;
import kz.ehr.mpi.TestPeople;
import kz.ehr.mpi.TestPeople.Person;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestKafka;
import kz.ehr.testsupport.TestTokens;
import kz.ehr.security.Roles;

@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_mpi_test"))
class PatientIndexTests {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Map<Character, String> LATIN = Map.ofEntries(Map.entry('а', "a"), Map.entry('б', "b"), Map.entry('д', "d"),
            Map.entry('е', "e"), Map.entry('ж', "zh"), Map.entry('з', "z"), Map.entry('и', "i"), Map.entry('к', "k"),
            Map.entry('л', "l"), Map.entry('м', "m"), Map.entry('н', "n"), Map.entry('о', "o"), Map.entry('р', "r"),
            Map.entry('с', "s"), Map.entry('т', "t"), Map.entry('у', "u"), Map.entry('ы', "y"), Map.entry('в', "v"),
            Map.entry('ч', "ch"));

    static String latin(String cyrillic) {
        StringBuilder sb = new StringBuilder();
        for (char ch : cyrillic.toCharArray()) {
            String l = LATIN.get(Character.toLowerCase(ch));
            String s = l == null ? String.valueOf(ch) : l;
            sb.append(Character.isUpperCase(ch) ? Character.toUpperCase(s.charAt(0)) + s.substring(1) : s);
        }
        return sb.toString();
    }

    /** A reviewer who also treats patients, reading with a stated purpose: the default caller of these tests. */
    static RequestSpecification staff() {
        return given().auth().oauth2(TestTokens.of("dana", Roles.REVIEWER, Roles.CLINICIAN)).header("X-Purpose", "REVIEW");
    }

    static RequestSpecification reviewer(String who) {
        return given().auth().oauth2(TestTokens.of(who, Roles.REVIEWER)).header("X-Purpose", "REVIEW");
    }

    static RequestSpecification clinician(String who) {
        return given().auth().oauth2(TestTokens.of(who, Roles.CLINICIAN)).header("X-Purpose", "TREATMENT");
    }

    static String enterpriseOf(String providerId, String localId) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            Response r = staff().get("/api/v1/source-records/{p}/{l}", providerId, localId);
            return r.statusCode() == 200 ? r.jsonPath().getString("enterpriseId") : null;
        }, id -> id != null);
    }

    static HealthRecordEvent patient(String provider, String localId, Person p) {
        return TestPeople.patientEvent(provider, localId, p.iin(), p.lastName(), p.firstName(), p.middleName(), p.birthDate(),
                p.sex(), null);
    }

    @Test
    void aPatientSeenAtThreeProvidersIsOnePersonWithOneGoldenRecord() {
        Person p = TestPeople.random("F");
        String local = UUID.randomUUID().toString();
        TestPeople.send(patient("damumed", "D-" + local, p));
        String id = enterpriseOf("damumed", "D-" + local);
        // Latin transliteration, masculine surname ending, no IIN
        TestPeople.send(TestPeople.patientEvent("kmis", "K-" + local, null, latin(p.lastName()).replaceAll("a$", ""),
                latin(p.firstName()), null, p.birthDate(), "F", null));
        // swapped first/last name and a one-digit typo in the IIN
        String typo = p.iin();
        for (int delta = 1; kz.ehr.identity.Iin.isValid(typo); delta++) {
            // a typo that fails the check digit (one that passes would be another valid IIN: never auto-linked)
            typo = p.iin().substring(0, 9) + ((p.iin().charAt(9) - '0' + delta) % 10) + p.iin().substring(10);
        }
        TestPeople.send(TestPeople.patientEvent("medelement", "M-" + local, typo, p.firstName(), p.lastName(), p.middleName(),
                p.birthDate(), "F", null));

        assertThat(enterpriseOf("kmis", "K-" + local)).isEqualTo(id);
        assertThat(enterpriseOf("medelement", "M-" + local)).isEqualTo(id);
        staff().get("/api/v1/patients/{id}", id).then().statusCode(200)
                .body("golden.iin", equalTo(p.iin()))
                .body("golden.lastName", equalTo(p.lastName()))
                .body("sourceRecords.size()", equalTo(3));

        List<MpiLinkEvent> events = TestKafka.readUntil(Topics.MPI_LINKS.topic, MpiLinkEvent.class,
                e -> e.getEnterpriseId().equals(id) && e.getLinkedSources().size() == 3, WAIT);
        assertThat(events).isNotEmpty();
        assertThat(events.get(0).getLinkEventType()).isEqualTo("LINKED");
        assertThat(events.get(0).getGolden().getIin()).isEqualTo(p.iin());
    }

    @Test
    void theRecordLocatorListsCareRecordsFromEveryProviderOfThePatient() {
        Person p = TestPeople.random("M");
        String local = UUID.randomUUID().toString();
        TestPeople.send(patient("damumed", "D-" + local, p));
        TestPeople.send(TestPeople.patientEvent("kmis", "K-" + local, null, p.lastName(), p.firstName(), p.middleName(),
                p.birthDate(), "M", null));
        String id = enterpriseOf("damumed", "D-" + local);
        assertThat(enterpriseOf("kmis", "K-" + local)).isEqualTo(id);
        for (String[] src : new String[][] {{"damumed", "D-" + local, "A15.0"}, {"kmis", "K-" + local, "I21.4"}}) {
            HealthRecordEvent care = HealthRecordEvent.newBuilder()
                    .setEnvelope(Envelopes.of(UUID.randomUUID().toString(), "ENCOUNTER", src[0], "enc-" + UUID.randomUUID(),
                            Instant.parse("2025-03-01T05:15:00Z"), Instant.now(), null))
                    .setRecordType("ENCOUNTER")
                    .setPatient(PatientInfo.newBuilder().setLocalId(src[1]).setIinStatus("MISSING").build())
                    .setEncounter(Encounter.newBuilder().setPolyclinicBin("990140000011").setStart(Instant.parse("2025-03-01T05:15:00Z"))
                            .setKind("VISIT").setDiagnoses(List.of(src[2])).setServices(List.of()).build())
                    .setWarnings(List.of())
                    .build();
            TestKafka.send(Topics.CARE.topic, src[0] + ":" + src[1], care);
        }

        await().atMost(WAIT).untilAsserted(() -> clinician("dr-test")
                .get("/api/v1/patients/{id}/records", id).then().statusCode(200)
                .body("records.size()", equalTo(2))
                .body("records.codes.flatten()", org.hamcrest.Matchers.hasItems("A15.0", "I21.4"))
                .body("records.facility", org.hamcrest.Matchers.everyItem(equalTo("990140000011"))));
    }

    @Test
    void aReplayedEventChangesNothing() {
        Person p = TestPeople.random("M");
        String local = "R-" + UUID.randomUUID();
        HealthRecordEvent e = patient("damumed", local, p);
        TestPeople.send(e);
        TestPeople.send(e);
        String id = enterpriseOf("damumed", local);
        // a later, different record proves both copies of the first were consumed before we count
        String marker = "R2-" + UUID.randomUUID();
        TestPeople.send(patient("damumed", marker, p));
        assertThat(enterpriseOf("damumed", marker)).isEqualTo(id);

        List<Map<String, Object>> history = staff().get("/api/v1/patients/{id}/history", id).then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(history).filteredOn(h -> local.equals(h.get("localId"))).hasSize(1);
        assertThat(history).filteredOn(h -> "LINKED".equals(h.get("eventType"))).hasSize(2);
    }

    @Test
    void recordsWithoutIinAndNameAndWithAbsurdBirthDatesAreHandled() {
        String nobody1 = "N-" + UUID.randomUUID();
        String nobody2 = "N-" + UUID.randomUUID();
        TestPeople.send(TestPeople.patientEvent("damumed", nobody1, null, null, null, null, LocalDate.of(1990, 1, 1), "M", null));
        TestPeople.send(TestPeople.patientEvent("damumed", nobody2, null, null, null, null, LocalDate.of(1990, 1, 1), "M", null));
        // two anonymous records are never merged with each other
        assertThat(enterpriseOf("damumed", nobody1)).isNotEqualTo(enterpriseOf("damumed", nobody2));
        staff().get("/api/v1/source-records/damumed/{l}", nobody1).then().body("linkKind", equalTo("NEW"));

        Person p = TestPeople.random("F");
        TestPeople.send(patient("damumed", "A-" + p.iin(), p));
        TestPeople.send(TestPeople.patientEvent("kmis", "A-" + p.iin(), p.iin(), p.lastName(), p.firstName(), p.middleName(),
                LocalDate.of(1700, 1, 1), "F", null));
        TestPeople.send(TestPeople.patientEvent("kmis", "B-" + p.iin(), null, p.lastName(), p.firstName(), p.middleName(),
                LocalDate.of(2400, 1, 1), "F", null));
        String id = enterpriseOf("damumed", "A-" + p.iin());
        // an absurd birth date counts as missing: the IIN still links, and it never reaches the golden record
        assertThat(enterpriseOf("kmis", "A-" + p.iin())).isEqualTo(id);
        enterpriseOf("kmis", "B-" + p.iin());
        staff().get("/api/v1/patients/{id}", id).then().body("golden.birthDate", equalTo(p.birthDate().toString()));
    }

    @Test
    void mergeAndUnmergeWithTheirEdgeCases() {
        Person a = TestPeople.random("M");
        Person b = TestPeople.random("M");
        String la = "MA-" + UUID.randomUUID();
        String lb = "MB-" + UUID.randomUUID();
        TestPeople.send(patient("damumed", la, a));
        TestPeople.send(patient("damumed", lb, b));
        String ida = enterpriseOf("damumed", la);
        String idb = enterpriseOf("damumed", lb);

        staff().contentType("application/json").body(Map.of("targetEnterpriseId", ida, "reason", "same passport"))
                .post("/api/v1/patients/{id}/merge", ida).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("MERGE_INTO_SELF"))
                .body("field", equalTo("targetEnterpriseId"));
        // a body that is not JSON, or JSON of the wrong shape: a problem naming it, not Quarkus REST's empty 400
        staff().contentType("application/json").body("{\"targetEnterpriseId\": ").post("/api/v1/patients/{id}/merge", ida)
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("MALFORMED_JSON"));
        staff().contentType("application/json").body("{\"targetEnterpriseId\": {\"id\": 1}}")
                .post("/api/v1/patients/{id}/merge", ida).then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("WRONG_TYPE")).body("field", equalTo("targetEnterpriseId"));
        // a body in a media type the endpoint does not read, or an answer the caller does not accept: a problem too
        staff().contentType("text/plain").body(idb).post("/api/v1/patients/{id}/merge", ida).then().statusCode(415)
                .contentType("application/problem+json").body("code", equalTo("UNSUPPORTED_MEDIA_TYPE"))
                .body("field", equalTo("Content-Type"));
        staff().accept("application/xml").get("/api/v1/reviews").then().statusCode(406)
                .contentType("application/problem+json").body("code", equalTo("NOT_ACCEPTABLE")).body("field", equalTo("Accept"));
        staff().contentType("application/json").body(Map.of("reason", "checked the documents"))
                .post("/api/v1/patients/{id}/unmerge", idb).then().statusCode(409).body("code", equalTo("NOT_MERGED"));

        reviewer("registrar-1").contentType("application/json")
                .body(Map.of("targetEnterpriseId", ida, "reason", "same person, confirmed by documents"))
                .post("/api/v1/patients/{id}/merge", idb).then().statusCode(200).body("events[0]", equalTo("MERGED"));
        assertThat(enterpriseOf("damumed", lb)).isEqualTo(ida);
        staff().redirects().follow(false).get("/api/v1/patients/{id}", idb).then().statusCode(301)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/patients/" + ida));
        staff().get("/api/v1/patients/{id}", ida).then().body("sourceRecords.size()", equalTo(2));

        reviewer("registrar-2").contentType("application/json").body(Map.of("reason", "documents were wrong"))
                .post("/api/v1/patients/{id}/unmerge", idb).then().statusCode(200);
        assertThat(enterpriseOf("damumed", lb)).isEqualTo(idb);
        staff().get("/api/v1/patients/{id}", idb).then().statusCode(200).body("status", equalTo("ACTIVE"));
        staff().contentType("application/json").body(Map.of("reason", "checked the documents"))
                .post("/api/v1/patients/{id}/unmerge", idb).then().statusCode(409).body("code", equalTo("NOT_MERGED"));

        List<Map<String, Object>> history = staff().get("/api/v1/patients/{id}/history", idb).then().extract().jsonPath().getList("$");
        assertThat(history).extracting(h -> h.get("eventType")).contains("LINKED", "MERGED", "UNMERGED");
        assertThat(history).filteredOn(h -> "MERGED".equals(h.get("eventType"))).extracting(h -> h.get("actor"))
                .containsExactly("registrar-1");
        List<MpiLinkEvent> unmerged = TestKafka.readUntil(Topics.MPI_LINKS.topic, MpiLinkEvent.class,
                e -> "UNMERGED".equals(e.getLinkEventType()) && e.getEnterpriseId().equals(idb), WAIT);
        assertThat(unmerged).hasSize(1);
        assertThat(unmerged.get(0).getPreviousEnterpriseId()).isEqualTo(ida);
    }

    @Test
    void concurrentReviewDecisionsOnOnePairLetExactlyOneWin() throws Exception {
        Person p = TestPeople.random("F");
        String l1 = "RV-" + UUID.randomUUID();
        String l2 = "RV-" + UUID.randomUUID();
        TestPeople.send(TestPeople.patientEvent("damumed", l1, null, p.lastName(), p.firstName(), null, p.birthDate(), null, null));
        String id1 = enterpriseOf("damumed", l1);
        // same surname and birth date, nothing else: between the thresholds
        TestPeople.send(TestPeople.patientEvent("kmis", l2, null, p.lastName(), null, null, p.birthDate(), "F", null));
        String id2 = enterpriseOf("kmis", l2);
        assertThat(id2).isNotEqualTo(id1);
        String reviewId = await().atMost(WAIT).until(() -> staff().get("/api/v1/reviews").then().extract().jsonPath()
                .<Map<String, Object>>getList("$").stream().filter(r -> l2.equals(r.get("localId")))
                .map(r -> (String) r.get("reviewId")).findFirst().orElse(null), r -> r != null);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            calls.add(() -> reviewer("a").contentType("application/json").body(Map.of("reason", "checked the documents"))
                    .post("/api/v1/reviews/{id}/accept", reviewId).statusCode());
            calls.add(() -> reviewer("b").contentType("application/json").body(Map.of("reason", "checked the documents"))
                    .post("/api/v1/reviews/{id}/reject", reviewId).statusCode());
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                codes.add(f.get());
            }
            assertThat(codes).containsExactlyInAnyOrder(200, 409);
        } finally {
            pool.shutdownNow();
        }
        staff().contentType("application/json").body(Map.of("reason", "checked the documents")).post("/api/v1/reviews/{id}/accept", reviewId)
                .then().statusCode(409).body("code", equalTo("REVIEW_ALREADY_DECIDED"));
        staff().contentType("application/json").body(Map.of("reason", "checked the documents")).post("/api/v1/reviews/{id}/accept", UUID.randomUUID())
                .then().statusCode(404).body("code", equalTo("REVIEW_NOT_FOUND"));
    }

    @Test
    void anIinCarriedBySomeoneElseOpensAnIinConflictReview() {
        Person p = TestPeople.random("M");
        Person other = TestPeople.random("F");
        String l1 = "C-" + UUID.randomUUID();
        String l2 = "C-" + UUID.randomUUID();
        TestPeople.send(patient("damumed", l1, p));
        String id1 = enterpriseOf("damumed", l1);
        TestPeople.send(TestPeople.patientEvent("kmis", l2, p.iin(), other.lastName(), other.firstName(), other.middleName(),
                other.birthDate(), "F", null));
        assertThat(enterpriseOf("kmis", l2)).isNotEqualTo(id1);
        await().atMost(WAIT).until(() -> staff().get("/api/v1/reviews").then().extract().jsonPath()
                .<Map<String, Object>>getList("$").stream()
                .anyMatch(r -> l2.equals(r.get("localId")) && "IIN_CONFLICT".equals(r.get("kind"))
                        && id1.equals(r.get("candidateEnterpriseId"))));
    }

    @Test
    void lookupByIinAndFuzzySearchFindThePatientAndAuditTheRead() {
        Person p = TestPeople.random("M");
        String local = "S-" + UUID.randomUUID();
        TestPeople.send(TestPeople.patientEvent("damumed", local, p.iin(), p.lastName(), p.firstName(), p.middleName(),
                p.birthDate(), "M", "+77019876543"));
        String id = enterpriseOf("damumed", local);

        reviewer("dr-1").queryParam("iin", p.iin()).get("/api/v1/patients").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].enterpriseId", equalTo(id));
        staff().queryParam("iin", "12").get("/api/v1/patients").then().statusCode(400).body("code", equalTo("IIN_REQUIRED"));

        // misspelt, transliterated surname and the birth date: the right person ranks first with a score
        String misspelt = latin(p.lastName()).substring(0, latin(p.lastName()).length() - 1) + "ff";
        reviewer("dr-1").queryParam("lastName", misspelt).queryParam("firstName", latin(p.firstName()))
                .queryParam("birthDate", p.birthDate().toString()).get("/api/v1/patients/search").then().statusCode(200)
                .body("candidates[0].enterpriseId", equalTo(id))
                .body("candidates[0].score", org.hamcrest.Matchers.greaterThan(15f));
        // without a birth date: trigram similarity over the distinct surnames
        reviewer("dr-1").queryParam("lastName", misspelt).queryParam("firstName", latin(p.firstName()))
                .get("/api/v1/patients/search").then().statusCode(200)
                .body("candidates.enterpriseId", org.hamcrest.Matchers.hasItem(id));
        staff().queryParam("phone", "8 701 987 65 43").get("/api/v1/patients/search").then().statusCode(200)
                .body("candidates.enterpriseId", org.hamcrest.Matchers.hasItem(id));
        staff().get("/api/v1/patients/search").then().statusCode(400).body("code", equalTo("SEARCH_TOO_BROAD"));
        staff().queryParam("birthDate", "1990-13-45").get("/api/v1/patients/search").then().statusCode(400)
                .body("field", equalTo("birthDate"));
        // a number that is no number: the field at fault, not Jakarta REST's empty 404 (NumberParams)
        staff().queryParam("lastName", "Ахметов").queryParam("limit", "ten").get("/api/v1/patients/search").then()
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("INVALID_LIMIT"))
                .body("field", equalTo("limit"));

        // a read without a stated purpose is refused, and the auditor sees who read whom and why
        String reader = "dr-" + UUID.randomUUID();
        given().auth().oauth2(TestTokens.of(reader, Roles.CLINICIAN)).get("/api/v1/patients/{id}", id).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("PURPOSE_REQUIRED")).body("field", equalTo("X-Purpose"));
        clinician(reader).get("/api/v1/patients/{id}", id).then().statusCode(200);
        given().auth().oauth2(TestTokens.of("olga", Roles.AUDITOR)).queryParam("who", reader).queryParam("enterpriseId", id)
                .get("/api/v1/audit").then().statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0].action", equalTo("READ_PATIENT"))
                .body("items[0].purpose", equalTo("TREATMENT"));
        // paged newest first with a cursor, filtered by action and time
        clinician(reader).get("/api/v1/patients/{id}/history", id).then().statusCode(200);
        RequestSpecification auditor = given().auth().oauth2(TestTokens.of("olga", Roles.AUDITOR)).queryParam("who", reader);
        Integer cursor = auditor.queryParam("limit", 1).get("/api/v1/audit").then().statusCode(200)
                .body("items[0].action", equalTo("READ_HISTORY")).extract().path("nextCursor");
        given().auth().oauth2(TestTokens.of("olga", Roles.AUDITOR)).queryParam("who", reader).queryParam("before", cursor)
                .get("/api/v1/audit").then().body("items.action", org.hamcrest.Matchers.contains("READ_PATIENT"))
                .body("nextCursor", org.hamcrest.Matchers.nullValue());
        // the rows are stamped by the database's clock: the window is set from the row's own time, not the test JVM's
        Instant readAt = Instant.parse(given().auth().oauth2(TestTokens.of("olga", Roles.AUDITOR)).queryParam("who", reader)
                .queryParam("action", "READ_PATIENT").get("/api/v1/audit").then().statusCode(200)
                .body("items.size()", equalTo(1)).extract().path("items[0].at"));
        given().auth().oauth2(TestTokens.of("olga", Roles.AUDITOR)).queryParam("who", reader).queryParam("action", "READ_PATIENT")
                .queryParam("from", readAt.toString()).get("/api/v1/audit").then()
                .body("items.size()", equalTo(1));
        given().auth().oauth2(TestTokens.of("olga", Roles.AUDITOR)).queryParam("who", reader).queryParam("action", "READ_PATIENT")
                .queryParam("from", readAt.plusSeconds(1).toString()).get("/api/v1/audit").then()
                .body("items.size()", equalTo(0));
        given().auth().oauth2(TestTokens.of("olga", Roles.AUDITOR)).queryParam("from", "yesterday").get("/api/v1/audit").then()
                .statusCode(400).body("field", equalTo("from"));
    }

    @Test
    void manualUnlinkWinsOverTheMatcherAndManualLinkPutsItBack() {
        Person p = TestPeople.random("F");
        String l1 = "U-" + UUID.randomUUID();
        String l2 = "U-" + UUID.randomUUID();
        TestPeople.send(patient("damumed", l1, p));
        TestPeople.send(patient("kmis", l2, p));
        String id = enterpriseOf("damumed", l1);
        assertThat(enterpriseOf("kmis", l2)).isEqualTo(id);

        String alone = reviewer("registrar").contentType("application/json").body(Map.of("reason", "twins"))
                .post("/api/v1/source-records/kmis/{l}/unlink", l2).then().statusCode(200).extract().path("enterpriseId");
        assertThat(alone).isNotEqualTo(id);
        // a new version of the unlinked record stays where the person put it
        TestPeople.send(patient("kmis", l2, p));
        String marker = "U-" + UUID.randomUUID();
        TestPeople.send(patient("kmis", marker, p));
        enterpriseOf("kmis", marker);
        assertThat(enterpriseOf("kmis", l2)).isEqualTo(alone);

        reviewer("registrar").contentType("application/json").body(Map.of("enterpriseId", id, "reason", "same passport"))
                .post("/api/v1/source-records/kmis/{l}/link", l2).then().statusCode(200);
        assertThat(enterpriseOf("kmis", l2)).isEqualTo(id);
        reviewer("registrar").contentType("application/json").body(Map.of("enterpriseId", id))
                .post("/api/v1/source-records/kmis/{l}/unlink", l2).then().statusCode(400)
                .body("code", equalTo("REASON_REQUIRED")).body("field", equalTo("reason"));
        staff().contentType("application/json").body(Map.of("enterpriseId", "not-a-uuid"))
                .post("/api/v1/source-records/kmis/{l}/link", l2).then().statusCode(400).body("field", equalTo("enterpriseId"));
    }

    @Test
    void aReviewerSetsAGoldenFieldByHandItWinsIsPublishedAndCanBeRemoved() {
        Person p = TestPeople.random("F");
        String local = "G-" + UUID.randomUUID();
        TestPeople.send(patient("damumed", local, p));
        String id = enterpriseOf("damumed", local);

        reviewer("zarina").contentType("application/json").body(Map.of("value", "Сейткалиева", "reason", "marriage certificate"))
                .put("/api/v1/patients/{id}/golden/lastName", id).then().statusCode(200)
                .body("events[0]", equalTo("GOLDEN_OVERRIDDEN"));
        // a further record with the old surname does not outvote the manual value
        TestPeople.send(patient("kmis", local, p));
        assertThat(enterpriseOf("kmis", local)).isEqualTo(id);
        staff().get("/api/v1/patients/{id}", id).then().statusCode(200)
                .body("golden.lastName", equalTo("Сейткалиева")).body("sourceRecords.size()", equalTo(2));
        List<MpiLinkEvent> published = TestKafka.readUntil(Topics.MPI_LINKS.topic, MpiLinkEvent.class,
                e -> "GOLDEN_OVERRIDDEN".equals(e.getLinkEventType()) && e.getEnterpriseId().equals(id), WAIT);
        assertThat(published.get(0).getGolden().getLastName()).isEqualTo("Сейткалиева");
        assertThat(staff().get("/api/v1/patients/{id}/history", id).then().extract().jsonPath().<Map<String, Object>>getList("$"))
                .filteredOn(h -> "GOLDEN_OVERRIDDEN".equals(h.get("eventType")))
                .singleElement().satisfies(h -> assertThat(h.get("actor")).isEqualTo("zarina"));

        reviewer("zarina").contentType("application/json").body(Map.of("value", "X", "reason", "r"))
                .put("/api/v1/patients/{id}/golden/favouriteColour", id).then().statusCode(400).body("code", equalTo("UNKNOWN_FIELD"));
        reviewer("zarina").contentType("application/json").body(Map.of("value", "1990-02-31", "reason", "r"))
                .put("/api/v1/patients/{id}/golden/birthDate", id).then().statusCode(400).body("field", equalTo("value"));
        reviewer("zarina").contentType("application/json").body(Map.of("value", "Петрова"))
                .put("/api/v1/patients/{id}/golden/lastName", id).then().statusCode(400).body("code", equalTo("REASON_REQUIRED"));

        reviewer("zarina").queryParam("reason", "certificate was for a namesake")
                .delete("/api/v1/patients/{id}/golden/lastName", id).then().statusCode(200)
                .body("events[0]", equalTo("GOLDEN_OVERRIDE_REMOVED"));
        staff().get("/api/v1/patients/{id}", id).then().body("golden.lastName", equalTo(p.lastName()));
        reviewer("zarina").queryParam("reason", "again").delete("/api/v1/patients/{id}/golden/lastName", id).then()
                .statusCode(409).body("code", equalTo("NOT_OVERRIDDEN"));
    }

    @Test
    void opsEstimateMatchingWeightsFromStoredPairsWithoutApplyingThem() {
        Person p = TestPeople.random("M");
        String local = "EM-" + UUID.randomUUID();
        TestPeople.send(patient("damumed", local, p));
        TestPeople.send(patient("kmis", local, p));
        enterpriseOf("kmis", local);
        given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).contentType("application/json").body(Map.of("sampleSize", 500))
                .post("/api/v1/matching/estimations").then().statusCode(200)
                .body("fields.size()", equalTo(8))
                .body("fields[0].field", equalTo("IIN"))
                .body("pairs", org.hamcrest.Matchers.greaterThan(0))
                .body("fields.estimatedM.flatten()", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.lessThan(1f)));
        given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).contentType("application/json").body(Map.of("sampleSize", 0))
                .post("/api/v1/matching/estimations").then().statusCode(400).body("field", equalTo("sampleSize"));
    }
}
