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

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import kz.ehr.console.session.StaffSession;
import kz.ehr.security.Roles;
import kz.ehr.security.StaffTokens;

/**
 * The console's own behaviour, with every service unreachable (the test profile points them at port 1): sign-in and
 * its cookie, the menu each role sees, the plain sentence when a service does not answer, minting on the embedded
 * platform.
 */
@QuarkusTest
class ConsolePagesTests {
    static final KeyPair KEYS = StaffTokens.newKeyPair();

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
}
