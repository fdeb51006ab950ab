package kz.ehr.billing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import kz.ehr.events.BillingEvent;
import kz.ehr.events.Topics;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestKafka;
import kz.ehr.testsupport.TestTokens;

/**
 * Through the real broker and PostgreSQL: events → projection → fraud monitor → capitation statement → review →
 * close → late fact → version 2 with differences. Amounts are hand-computed (see CapitationCalculatorTests):
 * a man born 1990-05-10 has a full rate of 1710 × 0.75 = 1282.50 ₸ in November 2025.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class CapitationFlowTests {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String BIN = "100140000013";
    static final String OTHER_BIN = "100140000995";
    static final String VISITED = "900510300001", NO_VISIT = "900510300002", UNINSURED = "900510300003", BOTH = "900510300004",
            DEAD = "900510300005", HELD = "900510300006";

    static RequestSpecification ops() {
        return given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).header("X-Purpose", "capitation test");
    }

    static RequestSpecification reviewer() {
        return given().auth().oauth2(TestTokens.of("dana", Roles.REVIEWER));
    }

    static int events(String iin) {
        return ops().get("/api/v1/persons/{iin}/events", iin).then().statusCode(200).extract().jsonPath().getList("events").size();
    }

    static JsonPath flags(String query) {
        return reviewer().get("/api/v1/fraud/flags?" + query).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aMonthIsComputedExplainedReviewedClosedAndCorrectedAsANewVersion() {
        for (String iin : List.of(VISITED, NO_VISIT, UNINSURED, BOTH, DEAD, HELD)) {
            Records.attach(iin, "M", "1990-05-10", BIN, "2020-01-01");
            Records.insured(iin, !(iin.equals(UNINSURED) || iin.equals(BOTH)));
        }
        Records.visit(VISITED, BIN, "D-100", "2025-10-01T04:00:00Z", List.of("A01"), false);
        Records.visit(UNINSURED, BIN, "D-100", "2025-10-01T05:00:00Z", List.of("A01"), false);
        Records.visit(DEAD, BIN, "D-100", "2025-10-20T05:00:00Z", List.of("A01"), false);
        // a visit by a polyclinic the person is not attached to, without referral: flagged, so it does not count
        Records.visit(HELD, OTHER_BIN, "D-200", "2025-10-02T05:00:00Z", List.of("A01"), false);
        await().atMost(WAIT).until(() -> events(VISITED) == 3 && events(UNINSURED) == 3 && events(DEAD) == 3 && events(HELD) == 3
                && events(NO_VISIT) == 2 && events(BOTH) == 2);
        assertThat(flags("rule=VISIT_AFTER_DEATH&polyclinic=" + BIN).getList("items")).isEmpty();

        // the death of 10 October arrives after the visit of 20 October: the visit is re-screened and flagged
        Records.died(DEAD, "2025-10-10");
        await().atMost(WAIT).until(() -> flags("rule=VISIT_AFTER_DEATH&polyclinic=" + BIN).getList("items").size() == 1);
        JsonPath deathFlag = flags("rule=VISIT_AFTER_DEATH&polyclinic=" + BIN);
        assertThat(deathFlag.getString("items[0].reason")).contains("2025-10-20").contains("2025-10-10");
        assertThat(deathFlag.getString("items[0].state")).isEqualTo("OPEN");
        assertThat(new BigDecimal(deathFlag.getString("items[0].moneyAtStake"))).isEqualByComparingTo("256.50");
        String heldFlag = flags("rule=NOT_ATTACHED_NO_REFERRAL&polyclinic=" + OTHER_BIN).getString("items[0].flagId");
        assertThat(heldFlag).isNotNull();

        ops().post("/api/v1/capitation/2025-11/run").then().statusCode(200).body("version", equalTo(1)).body("status", equalTo("OPEN"));
        JsonPath st = ops().get("/api/v1/capitation/2025-11/polyclinics/{bin}", BIN).then().statusCode(200).extract().jsonPath();
        assertThat(st.getLong("persons")).isEqualTo(6);
        assertThat(st.getMap("personsByFactor")).isEqualTo(Map.of("100", 1, "90", 1, "80", 2, "72", 1, "unpaid", 1));
        // 1282.50 + 1026.00 + 1154.25 + 923.40 + 0 + 1026.00
        assertThat(new BigDecimal(st.getString("amount"))).isEqualByComparingTo("5412.15");
        assertThat(new BigDecimal(st.getString("withheldByReason.NO_VISIT_12M"))).isEqualByComparingTo("769.50");
        assertThat(new BigDecimal(st.getString("withheldByReason.NOT_INSURED"))).isEqualByComparingTo("230.85");
        assertThat(new BigDecimal(st.getString("protectedByFraudMonitor"))).isEqualByComparingTo("256.50");

        JsonPath page1 = ops().get("/api/v1/capitation/2025-11/polyclinics/{bin}/lines?limit=4", BIN).then().statusCode(200).extract().jsonPath();
        assertThat(page1.getList("items")).hasSize(4);
        JsonPath page2 = ops().get("/api/v1/capitation/2025-11/polyclinics/{bin}/lines?limit=4&after=" + page1.getString("nextCursor"), BIN)
                .then().statusCode(200).extract().jsonPath();
        assertThat(page2.getList("items")).hasSize(2);
        assertThat(page2.getString("nextCursor")).isNull();
        Map<String, Object> both = page1.getMap("items.find { it.iin == '" + BOTH + "' }");
        assertThat(new BigDecimal(both.get("amount").toString())).isEqualByComparingTo("923.40");
        assertThat(new BigDecimal(both.get("baseRate").toString())).isEqualByComparingTo("1710");
        assertThat(new BigDecimal(both.get("sexAgeCoefficient").toString())).isEqualByComparingTo("0.75");
        assertThat(new BigDecimal(both.get("visitFactor").toString())).isEqualByComparingTo("0.8");
        assertThat(new BigDecimal(both.get("insuranceFactor").toString())).isEqualByComparingTo("0.9");
        assertThat((List<String>) both.get("reasons")).anyMatch(r -> r.startsWith("NO_VISIT_12M")).anyMatch(r -> r.startsWith("NOT_INSURED"));

        String csv = ops().accept("text/csv").get("/api/v1/capitation/2025-11/polyclinics/{bin}/lines", BIN)
                .then().statusCode(200).extract().asString();
        assertThat(csv.lines()).hasSize(7).first().asString().startsWith("iin,polyclinicBin");
        assertThat(csv).contains(DEAD).contains("DIED: died 2025-10-10");

        // the reviewer dismisses the flag on HELD's visit: it counts again once the month is recomputed
        reviewer().contentType("application/json").body(Map.of("decision", "DISMISSED", "comment", "referral on paper"))
                .post("/api/v1/fraud/flags/{id}/decision", heldFlag).then().statusCode(200)
                .body("flag.state", equalTo("DISMISSED")).body("decisions[0].reviewer", equalTo("dana"));
        reviewer().contentType("application/json").body(Map.of("decision", "CONFIRMED", "comment", "again"))
                .post("/api/v1/fraud/flags/{id}/decision", heldFlag).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("FLAG_NOT_OPEN"));
        ops().post("/api/v1/capitation/2025-11/run").then().statusCode(200).body("version", equalTo(1));
        JsonPath afterDismissal = ops().get("/api/v1/capitation/2025-11/polyclinics/{bin}/lines?limit=10", BIN).then().extract().jsonPath();
        assertThat(new BigDecimal(afterDismissal.getString("items.find { it.iin == '" + HELD + "' }.amount"))).isEqualByComparingTo("1282.50");

        ops().post("/api/v1/capitation/2025-11/close").then().statusCode(200).body("status", equalTo("CLOSED"));
        ops().post("/api/v1/capitation/2025-11/close").then().statusCode(409).body("code", equalTo("ALREADY_CLOSED"));
        List<BillingEvent> closed = TestKafka.readUntil(Topics.BILLING_EVENTS.topic, BillingEvent.class,
                e -> "STATEMENT_CLOSED".equals(e.getBillingEventType()) && BIN.equals(e.getPolyclinicBin()) && "2025-11".equals(e.getMonth()), WAIT);
        assertThat(closed).hasSize(1);
        assertThat(new BigDecimal(closed.get(0).getAmount())).isEqualByComparingTo("5668.65");
        assertThat(TestKafka.readUntil(Topics.BILLING_EVENTS.topic, BillingEvent.class,
                e -> "OUTREACH_DUE".equals(e.getBillingEventType()) && BIN.equals(e.getPolyclinicBin())
                        && "NO_VISIT_12M".equals(e.getRuleId()), WAIT)).isNotEmpty();
        // the 5-year list has its own task, from the month's first run (stable id): NO_VISIT and BOTH were never seen,
        // HELD's only visit was still flagged then; DEAD died before the billing date
        List<BillingEvent> fiveYears = TestKafka.readUntil(Topics.BILLING_EVENTS.topic, BillingEvent.class,
                e -> "OUTREACH_DUE".equals(e.getBillingEventType()) && BIN.equals(e.getPolyclinicBin())
                        && "NO_VISIT_60M".equals(e.getRuleId()) && Long.valueOf(3).equals(e.getPersons()), WAIT);
        assertThat(fiveYears).isNotEmpty();
        assertThat(fiveYears.get(0).getMonth()).isEqualTo("2025-11");
        assertThat(fiveYears.get(0).getReason()).contains("60 months before 2025-11-30");

        // a late visit for NO_VISIT: the closed version stays, a new version lists the difference
        Records.visit(NO_VISIT, BIN, "D-100", "2025-11-03T05:00:00Z", List.of("A01"), false);
        await().atMost(WAIT).until(() -> events(NO_VISIT) == 3);
        ops().post("/api/v1/capitation/2025-11/run").then().statusCode(200).body("version", equalTo(2));
        JsonPath v2 = ops().get("/api/v1/capitation/2025-11").then().statusCode(200).extract().jsonPath();
        assertThat(v2.getInt("version")).isEqualTo(2);
        assertThat(new BigDecimal(v2.getString("changesFromPreviousVersion.find { it.polyclinicBin == '" + BIN + "' }.difference")))
                .isEqualByComparingTo("256.50");
        JsonPath changes = ops().get("/api/v1/capitation/2025-11/changes").then().statusCode(200).extract().jsonPath();
        assertThat(changes.getList("items.iin", String.class)).contains(NO_VISIT);
        assertThat(new BigDecimal(ops().get("/api/v1/capitation/2025-11/polyclinics/{bin}?version=1", BIN).then().extract()
                .jsonPath().getString("amount"))).isEqualByComparingTo("5668.65");

        // outreach: attached, alive, nobody saw them in 12 months (the dead and the visited are not listed)
        JsonPath outreach = ops().get("/api/v1/outreach?polyclinic=" + BIN + "&noVisitMonths=12&asOf=2025-11-30")
                .then().statusCode(200).extract().jsonPath();
        assertThat(outreach.getList("items.iin", String.class)).containsExactly(BOTH);
        assertThat(outreach.getString("items[0].phone")).startsWith("+7701");
        // without asOf the list is as of today on the billing calendar (Asia/Almaty), not the JVM's or UTC's
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Almaty")).toString();
        String defaultAsOf = ops().get("/api/v1/outreach?polyclinic=" + BIN).then().statusCode(200).extract().jsonPath().getString("asOf");
        assertThat(defaultAsOf).isIn(today, java.time.LocalDate.now(java.time.ZoneId.of("Asia/Almaty")).toString());
        given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).get("/api/v1/outreach?polyclinic=" + BIN).then().statusCode(400)
                .body("code", equalTo("PURPOSE_REQUIRED")).body("field", equalTo("X-Purpose"));
        String outreachCsv = ops().get("/api/v1/outreach?polyclinic=" + BIN
                + "&noVisitMonths=60&asOf=2025-11-30&format=csv").then().statusCode(200).extract().asString();
        assertThat(outreachCsv.lines()).hasSize(2).first().asString().startsWith("iin,lastName");
        assertThat(outreachCsv).contains(BOTH).contains("+7701");
        reviewer().get("/api/v1/fraud/flags/{id}", heldFlag).then().statusCode(200)
                .body("flag.state", equalTo("DISMISSED")).body("decisions[0].comment", equalTo("referral on paper"));

        // the decision and the contact-data reads are in the audit trail under the token's principal
        var auditor = TestTokens.of("olzhas", Roles.AUDITOR);
        given().auth().oauth2(auditor).get("/api/v1/audit?action=FRAUD_DECISION").then().statusCode(200)
                .body("items.who", equalTo(List.of("dana")));
        given().auth().oauth2(auditor).get("/api/v1/audit?action=EXPORT_OUTREACH_CSV&who=aigerim").then().statusCode(200)
                .body("items.purpose", equalTo(List.of("capitation test")));

        reviewer().get("/api/v1/fraud/protected/2025-10").then().statusCode(200).body("polyclinics.polyclinicBin", hasItem(BIN));
        ops().post("/api/v1/capitation/2025-13/run").then().statusCode(400).body("code", equalTo("INVALID_MONTH")).body("field", equalTo("month"));
    }

    @Test
    void aRecordWithoutAValidIinWaitsUntilTheMpiAttributesIt() {
        String localId = "NOIIN-77";
        var patient = kz.ehr.events.PatientInfo.newBuilder().setLocalId(localId).setIinStatus("MISSING").build();
        Records.send(Topics.REGISTRY, Records.event("ATTACHMENT", patient).setAttachment(kz.ehr.events.Attachment.newBuilder()
                .setPolyclinicBin("100140000003").setFrom(java.time.LocalDate.of(2020, 1, 1)).build()).build());
        String iin = "800101400077";
        Records.link("E-77", iin, localId);
        await().atMost(WAIT).untilAsserted(() -> {
            ops().post("/api/v1/capitation/2026-01/run").then().statusCode(200);
            ops().get("/api/v1/capitation/2026-01/polyclinics/100140000003/lines").then().statusCode(200)
                    .body("items.iin", equalTo(List.of(iin)));
        });
    }

    @Test
    void aDoctorAboveTheDailyCapHasTheWholeDayFlagged() {
        for (int i = 0; i < 41; i++) {
            String iin = "7001014%05d".formatted(i);
            Records.visit(iin, "100140000005", "D-CAP", "2025-10-07T%02d:%02d:00Z".formatted(3 + i / 6, (i % 6) * 10), List.of("A0" + i), true);
        }
        await().atMost(WAIT).until(() -> flags("rule=DOCTOR_DAILY_CAP&doctor=D-CAP&limit=100").getList("items").size() == 41);
        assertThat(flags("rule=DOCTOR_DAILY_CAP&doctor=D-CAP&limit=1").getString("items[0].reason")).contains("41 visits").contains("cap of 40");
    }
}
