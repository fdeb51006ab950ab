package kz.ehr.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import kz.ehr.console.session.StaffSession;
import kz.ehr.console.web.Page;
import kz.ehr.console.web.Pages;
import kz.ehr.security.Roles;
import kz.ehr.security.StaffTokens;

/**
 * The console's own behaviour, with every service unreachable (the test profile points them at port 1): sign-in and
 * its cookie, the menu each role sees, the plain sentence when a service does not answer, minting on the embedded
 * platform; billing's answers rendered as the Outreach and Capitation pages render them.
 */
@QuarkusTest
class ConsolePagesTests {
    static final KeyPair KEYS = StaffTokens.newKeyPair();
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pages pages;

    @BeforeAll
    static void writeMintKey() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/test-mint"));
        Files.writeString(dir.resolve("private.pem"), StaffTokens.privatePem(KEYS.getPrivate()));
    }

    static String token(String user, String... roles) {
        return StaffTokens.sign(KEYS.getPrivate(), user, List.of(roles), Instant.now(), Duration.ofHours(1));
    }

    static String signIn(String token) {
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParam("token", token)
                .when().post("/signin");
        assertThat(r.statusCode()).isEqualTo(303);
        return r.getDetailedCookie(StaffSession.COOKIE).getValue();
    }

    @Test
    void aPastedTokenIsKeptInAnHttpOnlySameSiteStrictCookieAndNeverInTheAddress() {
        String token = token("aigerim", Roles.OPS);
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParam("token", token)
                .when().post("/signin");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.header("Location")).doesNotContain(token);
        String setCookie = r.header("Set-Cookie");
        assertThat(setCookie).contains(StaffSession.COOKIE + "=" + token).containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").contains("Path=/");
    }

    @Test
    void whatIsNotATokenIsRefusedWithASentence() {
        given().contentType("application/x-www-form-urlencoded").formParam("token", "hello").when().post("/signin")
                .then().statusCode(400).body(containsString("TOKEN_FORMAT"));
        String expired = StaffTokens.signRs256(KEYS.getPrivate(), "{\"upn\":\"old\",\"groups\":[\"ops\"],\"exp\":1}");
        given().contentType("application/x-www-form-urlencoded").formParam("token", expired).when().post("/signin")
                .then().statusCode(400).body(containsString("TOKEN_EXPIRED"));
    }

    @Test
    void withoutASessionEveryPageSendsToSignIn() {
        for (String page : List.of("/", "/platform", "/patients", "/reviews")) {
            given().redirects().follow(false).when().get(page).then().statusCode(303).header("Location", containsString("/signin"));
        }
    }

    @Test
    void theMenuFollowsTheRolesAndAPageTheRolesDoNotOpenIs403() {
        String clinician = signIn(token("dr-aliya", Roles.CLINICIAN));
        String page = given().cookie(StaffSession.COOKIE, clinician).when().get("/patients").then().statusCode(200)
                .extract().asString();
        assertThat(page).contains("href=\"/patients\"", "href=\"/certificates\"")
                .doesNotContain("href=\"/platform\"", "href=\"/reviews\"", "href=\"/audit\"", "href=\"/capitation\"");
        given().cookie(StaffSession.COOKIE, clinician).when().get("/platform").then().statusCode(403)
                .body(containsString("do not open Platform"));

        String ops = signIn(token("aigerim", Roles.OPS));
        given().cookie(StaffSession.COOKIE, ops).when().get("/patients").then().statusCode(403);
        given().cookie(StaffSession.COOKIE, ops).when().get("/platform").then().statusCode(200)
                .body(containsString("href=\"/platform\""), not(containsString("href=\"/patients\"")));
    }

    @Test
    void aServiceThatDoesNotAnswerIsSaidPlainly() {
        String reviewer = signIn(token("bolat", Roles.REVIEWER));
        given().cookie(StaffSession.COOKIE, reviewer).queryParam("iin", "850315300019").queryParam("purpose", "test")
                .when().get("/patients").then().statusCode(503)
                .body(containsString("patient index is not answering"), containsString("href=\"/reviews\""));
        given().cookie(StaffSession.COOKIE, reviewer).when().get("/reviews").then().statusCode(503)
                .body(containsString("patient index is not answering"));

        String ops = signIn(token("aigerim", Roles.OPS));
        String platform = given().cookie(StaffSession.COOKIE, ops).when().get("/platform").then().statusCode(200).extract().asString();
        assertThat(platform).contains("NOT ANSWERING", "ingestion is not answering", "patient index is not answering",
                "certificates is not answering", "billing is not answering");
    }

    @Test
    void aPatientReadAsksForThePurposeFirst() {
        String clinician = signIn(token("dr-aliya", Roles.CLINICIAN));
        given().cookie(StaffSession.COOKIE, clinician).queryParam("iin", "850315300019").when().get("/patients")
                .then().statusCode(400).body(containsString("Say why you are looking"));
        given().cookie(StaffSession.COOKIE, clinician).when().get("/patients/8c0e0f5e-0000-4000-8000-000000000000")
                .then().statusCode(200).body(containsString("why are you looking?"), containsString("name=\"purpose\""));
    }

    @Test
    void theEmbeddedSignInMintsATokenSignedWithThePlatformKeyForTheChosenUserAndRoles() throws Exception {
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("user", "aigerim").formParam("role", Roles.OPS).formParam("role", Roles.AUDITOR)
                .when().post("/signin/mint");
        assertThat(r.statusCode()).isEqualTo(303);
        String token = r.getDetailedCookie(StaffSession.COOKIE).getValue();
        StaffSession session = StaffSession.of(token, Instant.now());
        assertThat(session.user()).isEqualTo("aigerim");
        assertThat(session.roles()).containsExactly(Roles.OPS, Roles.AUDITOR);
        String[] jws = token.split("\\.");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(KEYS.getPublic());
        rsa.update((jws[0] + "." + jws[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(jws[2]))).as("signed with the platform key").isTrue();
        assertThat(new String(Base64.getUrlDecoder().decode(jws[1]), StandardCharsets.UTF_8)).contains("\"aud\":\"ehr-stream\"");

        given().contentType("application/x-www-form-urlencoded").formParam("user", "a b").formParam("role", Roles.OPS)
                .when().post("/signin/mint").then().statusCode(400).body(containsString("user must be"));
    }

    @Test
    void everyPageSaysPlainlyWhichServiceIsNotAnswering() {
        String all = signIn(token("aigerim", Roles.ALL.toArray(String[]::new)));
        Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("/providers", "ingestion is not answering");
        pages.put("/reviews", "patient index is not answering");
        pages.put("/certificates?number=X-1&purpose=test", "certificates is not answering");
        pages.put("/capitation?month=2025-03", "billing is not answering");
        pages.put("/fraud", "billing is not answering");
        pages.put("/outreach?polyclinic=100140000013&purpose=test", "billing is not answering");
        pages.put("/audit?service=INGESTION", "ingestion is not answering");
        pages.forEach((page, sentence) -> given().cookie(StaffSession.COOKIE, all).when().get(page).then().statusCode(503)
                .body(containsString(sentence), containsString("role=\"alert\"")));
    }

    @Test
    void opsSeeProvidersAndOutreachAuditorsTheAuditAndNeitherTheOther() {
        String ops = signIn(token("aigerim", Roles.OPS));
        given().cookie(StaffSession.COOKIE, ops).when().get("/audit").then().statusCode(403);
        String auditor = signIn(token("dana", Roles.AUDITOR));
        given().cookie(StaffSession.COOKIE, auditor).when().get("/providers").then().statusCode(403);
        given().cookie(StaffSession.COOKIE, auditor).when().get("/outreach").then().statusCode(403);
        String menu = given().cookie(StaffSession.COOKIE, auditor).when().get("/certificates").then().statusCode(200).extract().asString();
        assertThat(menu).contains("href=\"/audit\"", "href=\"/capitation\"", "href=\"/fraud\"")
                .doesNotContain("href=\"/providers\"", "href=\"/outreach\"", "href=\"/platform\"", "id=\"issue-go\"");
    }

    @Test
    void aRevocationIsConfirmedBeforeItIsSentAndItsFormIsForReviewersOnly() {
        String reviewer = signIn(token("dana", Roles.REVIEWER));
        String page = given().cookie(StaffSession.COOKIE, reviewer).when().get("/certificates").then().statusCode(200).extract().asString();
        assertThat(page).contains("id=\"revoke-go\"", "Revocation reasons: certificates is not answering");
        // the first step only shows what is about to happen: nothing is sent to certificate-service
        String confirm = given().cookie(StaffSession.COOKIE, reviewer).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("number", "F083-20261128-7KQ2M9XH4T").formParam("reason", "WRONG_PERSON")
                .formParam("comment", "выдана не тому Сейтқали").formParam("purpose", "жалоба 12")
                .when().post("/certificates/revoke").then().statusCode(200).extract().asString();
        assertThat(confirm).contains("id=\"revoke-confirm-go\"", "Revoke certificate F083-20261128-7KQ2M9XH4T?",
                "выдана не тому Сейтқали", "name=\"confirm\" value=\"yes\"");
        // confirmed: the call goes out, and a service that does not answer is said plainly
        given().cookie(StaffSession.COOKIE, reviewer).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("number", "F083-20261128-7KQ2M9XH4T").formParam("reason", "WRONG_PERSON")
                .formParam("comment", "выдана не тому").formParam("purpose", "жалоба 12").formParam("confirm", "yes")
                .when().post("/certificates/revoke").then().statusCode(503).body(containsString("certificates is not answering"));
        given().cookie(StaffSession.COOKIE, reviewer).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("number", "F083-20261128-7KQ2M9XH4T").formParam("reason", "WRONG_PERSON").formParam("purpose", "x")
                .when().post("/certificates/revoke").then().statusCode(400).body(containsString("a comment"));

        String clinician = signIn(token("dr-aliya", Roles.CLINICIAN));
        assertThat(given().cookie(StaffSession.COOKIE, clinician).when().get("/certificates").then().statusCode(200).extract().asString())
                .doesNotContain("id=\"revoke-go\"");
    }

    /** The table row of {@code html} that holds {@code text}. */
    static String row(String html, String text) {
        return java.util.Arrays.stream(html.split("<tr")).map(r -> r.substring(0, r.indexOf("</tr>") + 1)).filter(r -> r.contains(text))
                .findFirst().orElseThrow(() -> new AssertionError(text + " in " + html));
    }

    @Test
    void anOutreachRowWhoseIinIsHeldForTwoPeopleSaysInWordsToConfirmWhoAnswersBeforeCalling() throws Exception {
        // billing's answer (API.md): Сейтқали is attached under an IIN the patient index also holds for Ким (IIN_CONFLICT)
        Object list = JSON.readValue("""
                {"polyclinic":"100140000013","asOf":"2026-12-04","items":[
                 {"iin":"900512400018","lastName":"Сейтқали","firstName":"Арман","middleName":null,"phone":"+77020000002","address":"Шымкент",
                  "lastVisit":"2025-02-20","attachedSince":"2024-01-01","identityInReview":true},
                 {"iin":"850315300018","lastName":"Ахметова","firstName":"Динара","middleName":"Сериковна","phone":"+77010000001","address":"Алматы",
                  "lastVisit":null,"attachedSince":"2023-05-01","identityInReview":false}],"nextCursor":null}""", Object.class);
        StaffSession ops = StaffSession.of(token("aigerim", Roles.OPS), Instant.now());
        String html = pages.page("outreach.html", ops, Page.OUTREACH).data("polyclinic", "100140000013").data("months", "12")
                .data("purpose", "обзвон").data("list", list).render();
        assertThat(row(html, "900512400018")).contains("Сейтқали Арман", "identity in review — confirm before calling");
        assertThat(row(html, "850315300018")).contains("Ахметова Динара Сериковна").doesNotContain("identity in review");
        assertThat(html).containsPattern("(?s)id=\"outreach-legend\">.*identity in review.*IIN_CONFLICT");
    }

    @Test
    void aStatementLineWhoseIinIsHeldForTwoPeopleSaysSoInWords() throws Exception {
        Object lines = JSON.readValue("""
                [{"iin":"900512400018","sex":"M","ageBand":"AGE_50_59","baseRate":1710,"sexAgeCoefficient":1.2,"visitFactor":1,
                  "insuranceFactor":1,"amount":2052.00,"reasons":[],"identityInReview":true},
                 {"iin":"850315300018","sex":"F","ageBand":"AGE_40_49","baseRate":1710,"sexAgeCoefficient":1.1,"visitFactor":1,
                  "insuranceFactor":1,"amount":1881.00,"reasons":[],"identityInReview":false}]""", Object.class);
        Object statement = JSON.readValue("""
                {"polyclinicBin":"100140000013","persons":2,"paidPersons":2,"personsWithoutVisit12Months":0,"fullAmount":3933.00,
                 "withheld":0,"withheldByReason":{},"protectedByFraudMonitor":0,"amount":3933.00}""", Object.class);
        StaffSession ops = StaffSession.of(token("aigerim", Roles.OPS), Instant.now());
        String html = pages.page("capitation.html", ops, Page.CAPITATION).data("month", "2025-03").data("bin", "100140000013")
                .data("purpose", "check").data("message", null).data("statement", statement).data("factorChart", "")
                .data("lines", lines).render();
        assertThat(row(html, "900512400018")).contains("identity in review — priced as the person attached here");
        assertThat(row(html, "850315300018")).doesNotContain("identity in review");
        assertThat(html).containsPattern("(?s)id=\"lines-legend\">.*identity in review.*IIN_CONFLICT");
    }
    @Test
    void aFraudFlagOnAnIinHeldForTwoPeopleSaysSoInTheListAndOnTheFlag() throws Exception {
        // billing's flags (README): the first visit's IIN is held by two enterprise patients, the monitor read them as one
        Object flags = JSON.readValue("""
                [{"flagId":"f-1","visitKey":"medelement:rec-1","polyclinicBin":"100140000777","doctorId":"D-9","visitDate":"2025-02-20",
                  "ruleId":"VISIT_AFTER_DEATH","reason":"visit after the death registered on 2025-01-03","moneyAtStake":1710.00,
                  "state":"OPEN","raisedAt":"2026-12-04T10:00:00Z","identityInReview":true},
                 {"flagId":"f-2","visitKey":"damumed:rec-2","polyclinicBin":"100140000777","doctorId":"D-9","visitDate":"2025-02-21",
                  "ruleId":"NOT_ATTACHED_NO_REFERRAL","reason":"without a referral","moneyAtStake":1710.00,
                  "state":"OPEN","raisedAt":"2026-12-04T10:00:00Z","identityInReview":false}]""", Object.class);
        StaffSession reviewer = StaffSession.of(token("dana", Roles.REVIEWER), Instant.now());
        Map<String, String> filter = Map.of("rule", "", "polyclinic", "", "doctor", "", "state", "");
        String html = pages.page("fraud.html", reviewer, Page.FRAUD).data("filter", filter).data("message", null)
                .data("states", List.of("OPEN")).data("rules", List.of()).data("flags", flags).data("next", null)
                .data("protected", Map.of()).data("protectedChart", "").render();
        assertThat(row(html, "VISIT_AFTER_DEATH")).contains("identity in review — whose records?");
        assertThat(row(html, "NOT_ATTACHED_NO_REFERRAL")).doesNotContain("identity in review");
        assertThat(html).containsPattern("(?s)id=\"flags-legend\">.*identity in review.*IIN_CONFLICT");

        Object flag = ((List<?>) flags).get(0);
        String page = pages.page("flag.html", reviewer, Page.FRAUD).data("flagId", "f-1").data("flag", flag)
                .data("decisions", List.of()).render();
        assertThat(page).containsPattern("(?s)id=\"flag-in-review\">.*identity in review — the patient index holds this IIN for more than one person");
        String other = pages.page("flag.html", reviewer, Page.FRAUD).data("flagId", "f-2").data("flag", ((List<?>) flags).get(1))
                .data("decisions", List.of()).render();
        assertThat(other).doesNotContain("flag-in-review");
    }
}
