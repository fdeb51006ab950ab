package kz.ehr.billing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import kz.ehr.identity.Bin;
import kz.ehr.identity.Iin;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/**
 * Screening programmes' intervals and the children's annual preventive exam, through the real broker and PostgreSQL:
 * a screening billed before its interval is a flag (rule id, reason with the dates, money at stake) that keeps the
 * screening from counting, and the outreach list names who is due which programme on a day, at the age and interval
 * boundaries.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class ScreeningProgrammesTests {
    static final Duration WAIT = Duration.ofSeconds(120);
    /** A polyclinic of this test alone (the test database is shared by the module's test classes). */
    static final String BIN = Bin.issue(2017, 3, 1717);
    static final String WOMAN = Iin.issue(LocalDate.of(1975, 6, 1), "F", 4711);
    static final String CHILD = Iin.issue(LocalDate.of(2015, 3, 1), "M", 4712);
    static final String LEAP_CHILD = Iin.issue(LocalDate.of(2008, 2, 29), "F", 4713);

    static RequestSpecification ops() {
        return given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).header("X-Purpose", "screening outreach test");
    }

    static int events(String iin) {
        return ops().get("/api/v1/persons/{iin}/events", iin).then().statusCode(200).extract().jsonPath().getList("events").size();
    }

    static JsonPath flags() {
        return given().auth().oauth2(TestTokens.of("dana", Roles.REVIEWER))
                .get("/api/v1/fraud/flags?rule=SCREENING_BEFORE_INTERVAL&polyclinic=" + BIN).then().statusCode(200).extract().jsonPath();
    }

    /** iin → "PROGRAMME/lastScreening/dueSince" of each programme due on {@code asOf}. */
    static Map<String, List<String>> due(String asOf, String programme) {
        JsonPath page = ops().get("/api/v1/outreach/screenings?polyclinic=" + BIN + "&asOf=" + asOf
                + (programme == null ? "" : "&programme=" + programme)).then().statusCode(200).extract().jsonPath();
        assertThat(page.getString("asOf")).isEqualTo(asOf);
        Map<String, List<String>> out = new java.util.TreeMap<>();
        List<Map<String, Object>> items = page.getList("items");
        for (Map<String, Object> item : items) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> d = (List<Map<String, Object>>) item.get("due");
            out.put((String) item.get("iin"), d.stream().map(x -> x.get("programme") + "/" + x.get("lastScreening") + "/" + x.get("dueSince"))
                    .toList());
        }
        return out;
    }

    @Test
    void aScreeningBeforeItsIntervalIsFlaggedAndTheOutreachListNamesWhoIsDueWhat() {
        Records.attach(WOMAN, "F", "1975-06-01", BIN, "2020-01-01");
        Records.attach(CHILD, "M", "2015-03-01", BIN, "2015-03-01");
        Records.attach(LEAP_CHILD, "F", "2008-02-29", BIN, "2008-03-01");
        // BREAST every 2 years: 2023-11-10, then a day short of two years (flagged), COLORECTAL once
        Records.screening(WOMAN, BIN, "D-1", "2023-11-10T04:00:00Z", "BREAST");
        String early = Records.screening(WOMAN, BIN, "D-1", "2025-11-09T04:00:00Z", "BREAST");
        Records.screening(WOMAN, BIN, "D-1", "2025-06-10T04:00:00Z", "COLORECTAL");
        // the children's preventive exam every year: 2025-03-10, then 2025-12-01 (flagged)
        Records.screening(CHILD, BIN, "D-2", "2025-03-10T04:00:00Z", "CHILD_PREVENTIVE");
        Records.screening(CHILD, BIN, "D-2", "2025-12-01T04:00:00Z", "CHILD_PREVENTIVE");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(List.of(events(WOMAN), events(CHILD), events(LEAP_CHILD))).containsExactly(4, 3, 1));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(flags().getList("items.visitDate", String.class)).hasSize(2));

        JsonPath flags = flags();
        assertThat(flags.getList("items.ruleId", String.class)).containsOnly("SCREENING_BEFORE_INTERVAL");
        assertThat(flags.getList("items.visitDate", String.class)).containsExactlyInAnyOrder("2025-11-09", "2025-12-01");
        assertThat(flags.getList("items.visitKey", String.class)).contains(Records.PROVIDER + ":" + early);
        int breast = flags.getList("items.visitDate", String.class).indexOf("2025-11-09");
        assertThat(flags.getString("items[" + breast + "].reason")).isEqualTo("BREAST screening on 2025-11-09, 1 y 11 m 30 d after the"
                + " one of 2023-11-10; the programme (women 40–70, every 2 years) allows the next from 2025-11-10.");
        assertThat(flags.getString("items[" + breast + "].state")).isEqualTo("OPEN");
        // what one fake visit unlocks a month since the 80 % rule (October 2025): 1710 × 0.2 × the sex-age coefficient
        assertThat(new BigDecimal(flags.getString("items[" + breast + "].moneyAtStake"))).isPositive();

        // 2026-02-28: the woman is due BREAST since 2025-11-10 (the flagged one does not count) and CERVICAL (never);
        // COLORECTAL not before 2027-06-10; CARDIO and GLAUCOMA have no interval. The boy's exam of 2025-03-10 holds until
        // 2026-03-10; the girl born on 29 February 2008 is 17 until 28 February 2026 and never examined.
        assertThat(due("2026-02-28", null)).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                WOMAN, List.of("BREAST/2023-11-10/2025-11-10", "CERVICAL/null/null"),
                LEAP_CHILD, List.of("CHILD_PREVENTIVE/null/null"))));
        // 1 March 2026 she is 18: no longer a child
        assertThat(due("2026-03-01", "CHILD_PREVENTIVE")).isEmpty();
        assertThat(due("2026-03-09", "CHILD_PREVENTIVE")).isEmpty();
        assertThat(due("2026-03-10", "CHILD_PREVENTIVE"))
                .containsExactlyEntriesOf(Map.of(CHILD, List.of("CHILD_PREVENTIVE/2025-03-10/2026-03-10")));
        assertThat(due("2027-06-10", "COLORECTAL")).containsExactlyEntriesOf(Map.of(WOMAN, List.of("COLORECTAL/2025-06-10/2027-06-10")));
        assertThat(due("2027-06-09", "COLORECTAL")).isEmpty();

        String csv = ops().get("/api/v1/outreach/screenings?format=csv&asOf=2026-02-28&polyclinic=" + BIN).then().statusCode(200)
                .extract().asString();
        assertThat(csv.lines()).hasSize(4).first().isEqualTo("iin,lastName,firstName,middleName,phone,address,programme,lastScreening,dueSince,identityInReview");
        ops().get("/api/v1/outreach/screenings?programme=CARDIO&polyclinic=" + BIN).then().statusCode(400)
                .body("code", equalTo("INVALID_PROGRAMME")).body("field", equalTo("programme"));
    }
}
