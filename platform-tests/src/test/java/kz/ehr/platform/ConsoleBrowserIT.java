package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.local.LocalKafkaBroker;
import kz.ehr.testsupport.HeadlessChromium;
import kz.ehr.testsupport.TestPlatform;
import kz.ehr.testsupport.TestTokens;

/**
 * The ops console in Debian's headless Chromium against the real packaged services (one platform for the class):
 * sign in on the embedded sign-in form, watch the platform, find a patient by IIN, decide the review the patient index
 * opened, issue and verify a certificate (pasted and as an uploaded QR image), run capitation and download its CSV,
 * confirm the fraud flag the monitor raised. Each page's screenshot goes to {@code target/console-screenshots/}
 * (docs/console.md shows them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration DEADLINE = Duration.ofSeconds(90);
    static final Path SHOTS = Path.of("target/console-screenshots");

    static RunningPlatform platform;
    static ServiceProcess console;
    static WebDriver browser;
    static final String POLYCLINIC = "100140000013";
    /** Another polyclinic, where the person goes without a referral: NOT_ATTACHED_NO_REFERRAL. */
    static final String OTHER_POLYCLINIC = "100140000777";
    static final String MONTH = "2025-03";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static SyntheticPeople.Person person;
    static SyntheticPeople.Person applicant;
    static String otherLocalId;

    @BeforeAll
    static void start() throws Exception {
        platform = RunningPlatform.start(TestPlatform.kafkaBootstrapServers(), TestPlatform.kafkaCredentials(), "_ui");
        Path root = Path.of(System.getProperty("ehr.repo.root", "..")).toAbsolutePath().normalize();
        console = ServiceProcess.start(root, "ops-console", LocalKafkaBroker.freePort(), Map.of(
                "console.ingestion-url", platform.ingestion().url(""),
                "console.patient-index-url", platform.patientIndex().url(""),
                "console.certificates-url", platform.certificates().url(""),
                "console.billing-url", platform.billing().url(""),
                // the embedded platform's sign-in: the key the services trust, as ./ehr up passes .ehr/auth/private.pem
                "console.mint-key", TestTokens.publicKeyFile().resolveSibling("private.pem").toString()), Map.of());
        console.awaitReady(Duration.ofSeconds(300));

        List<SyntheticPeople.Person> people = SyntheticPeople.cohort(2);
        person = people.get(0);
        applicant = people.get(1);
        otherLocalId = person.localId() + "-other";
        // the same IIN sent for someone else entirely: the patient index opens an IIN_CONFLICT review
        String other = """
                {"recordId":"pat-%s","type":"PATIENT","occurredAt":"2025-01-11T10:00:00+05:00","patient":{"localId":"%s","iin":"%s","lastName":"Ким","firstName":"Ольга","middleName":"Юрьевна","birthDate":"1962-07-01","sex":"F"}}"""
                .formatted(otherLocalId, otherLocalId, person.iin());
        String attachment = """
                {"recordId":"att-%s","type":"ATTACHMENT","occurredAt":"2024-01-01T09:00:00+05:00","patient":{"localId":"%s","iin":"%s"},"attachment":{"polyclinicBin":"%s","region":"ALMATY_CITY","from":"2024-01-01"}}"""
                .formatted(person.localId(), person.localId(), person.iin(), POLYCLINIC);
        String insurance = """
                {"recordId":"ins-%s","type":"INSURANCE","occurredAt":"2024-01-01T09:00:00+05:00","patient":{"localId":"%s","iin":"%s"},"insurance":{"insured":true,"from":"2024-01-01"}}"""
                .formatted(person.localId(), person.localId(), person.iin());
        String elsewhere = """
                {"recordId":"enc2-%s","type":"ENCOUNTER","occurredAt":"2025-02-20T11:00:00+05:00","patient":{"localId":"%s","iin":"%s"},"encounter":{"encounterId":"E2-%s","polyclinicBin":"%s","doctorId":"D-9","start":"2025-02-20T11:00:00+05:00","end":"2025-02-20T11:20:00+05:00","kind":"VISIT","diagnoses":["J06.9"]}}"""
                .formatted(person.localId(), person.localId(), person.iin(), person.localId(), OTHER_POLYCLINIC);
        HttpResponse<String> sent = platform.submit(String.join("\n", SyntheticPeople.patientRecord(person), attachment, insurance,
                SyntheticPeople.visitRecord(person), elsewhere, SyntheticPeople.patientRecord(applicant)) + "\n");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(JSON.readTree(sent.body()).path("accepted").asInt()).as(sent.body()).isEqualTo(6);
        platform.await("the first record is linked", DEADLINE, () ->
                platform.patientIndex().get("/api/v1/source-records/" + platform.providerId + "/" + person.localId()).statusCode() == 200 ? true : null);
        assertThat(platform.submit(other + "\n").statusCode()).isEqualTo(200);
        platform.await("the patient index opens a review for the second record", DEADLINE, () -> {
            JsonNode reviews = JSON.readTree(platform.patientIndex().get("/api/v1/reviews").body());
            for (JsonNode r : reviews) {
                if (otherLocalId.equals(r.path("localId").asText())) {
                    return r;
                }
            }
            return null;
        });
        browser = HeadlessChromium.start(DEADLINE);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    static void open(String path) {
        browser.get(console.url(path));
    }

    static WebElement byId(String id) {
        return new WebDriverWait(browser, DEADLINE).until(d -> d.findElement(By.id(id)));
    }

    static void shot(String name) throws IOException {
        Files.createDirectories(SHOTS);
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    static String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    @Test
    @Order(1)
    void signInOnTheEmbeddedFormWithEveryRole() throws Exception {
        open("/signin");
        shot("01-signin");
        WebElement user = byId("user");
        user.clear();
        user.sendKeys("aigerim");
        byId("signin-mint").click();
        assertThat(byId("signed-in-user").getText()).isEqualTo("aigerim");
        assertThat(browser.manage().getCookieNamed("ehr_console_session").isHttpOnly()).isTrue();
        assertThat(browser.getCurrentUrl()).doesNotContain("eyJ");
    }

    @Test
    @Order(2)
    void thePlatformPageShowsEveryServiceUpAndTheConsumerGroups() throws Exception {
        open("/platform");
        WebElement health = byId("health");
        assertThat(health.getText()).contains("ingestion", "patient index", "certificates", "billing");
        assertThat(health.findElements(By.cssSelector("td.status-UP"))).hasSize(4);
        assertThat(byId("groups").getText()).contains("patient-index", "billing");
        assertThat(byId("intake").getText()).isNotBlank();
        shot("02-platform");
    }

    @Test
    @Order(3)
    void aPatientIsFoundByIinAndShownWithSourcesAndTimeline() throws Exception {
        open("/patients");
        byId("iin").sendKeys(person.iin());
        byId("purpose").sendKeys("console browser test");
        byId("search-go").click();
        WebElement results = byId("results");
        assertThat(results.getText()).contains("Сейтқали Арман");
        shot("03-patients-search");
        results.findElements(By.tagName("a")).stream().filter(a -> a.getText().contains("Сейтқали")).findFirst().orElseThrow().click();
        assertThat(byId("golden-name").getText()).contains("Сейтқали Арман");
        assertThat(byId("sources").getText()).contains(person.localId());
        assertThat(byId("timeline").getText()).contains("ENCOUNTER", "ATTACHMENT", "INSURANCE", "100140000777");
        shot("04-patient");
    }

    @Test
    @Order(4)
    void theReviewIsComparedSideBySideAndAccepted() throws Exception {
        open("/reviews");
        WebElement row = new WebDriverWait(browser, DEADLINE).until(d -> d.findElements(By.cssSelector("#reviews tbody tr")).stream()
                .filter(r -> r.getText().contains(otherLocalId)).findFirst().orElse(null));
        assertThat(row.getText()).contains("IIN_CONFLICT");
        shot("05-review-queue");
        row.findElement(By.className("open-review")).click();
        byId("purpose").sendKeys("deciding an identity review");
        byId("purpose-go").click();
        WebElement agreement = byId("agreement");
        assertThat(agreement.getText()).contains("Ким", "Сейтқали", person.iin());
        assertThat(agreement.findElements(By.cssSelector("tr.same")).stream().map(WebElement::getText).toList())
                .anyMatch(t -> t.startsWith("iin"));
        assertThat(agreement.findElements(By.cssSelector("tr.differs")).stream().map(WebElement::getText).toList())
                .anyMatch(t -> t.startsWith("lastName"));
        shot("06-review");
        byId("decision-reject").click();
        byId("reason").sendKeys("двое разных людей: Ким Ольга — другой человек");
        byId("decide").click();
        assertThat(byId("message").getText()).contains("rejected");

        JsonNode decided = platform.await("the patient index holds the decision", DEADLINE, () -> {
            for (JsonNode r : JSON.readTree(platform.patientIndex().get("/api/v1/reviews?status=REJECTED").body())) {
                if (otherLocalId.equals(r.path("localId").asText())) {
                    return r;
                }
            }
            return null;
        });
        assertThat(decided.path("decidedBy").asText()).isEqualTo("aigerim");
        assertThat(decided.path("decisionReason").asText()).isEqualTo("двое разных людей: Ким Ольга — другой человек");
    }

    /** A file the console serves, fetched with the browser's session cookie (as the browser would download it). */
    static HttpResponse<byte[]> download(String href) throws Exception {
        String cookie = browser.manage().getCookieNamed("ehr_console_session").getValue();
        return HTTP.send(HttpRequest.newBuilder(URI.create(href)).header("Cookie", "ehr_console_session=" + cookie).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    @Order(5)
    void aCertificateIsIssuedShownAndVerifiedPastedAndAsAnUploadedQrImage() throws Exception {
        // the certificate service learns of the person from Kafka; before that it would refuse (PERSON_UNKNOWN)
        platform.await("certificates knows the applicant", DEADLINE, () -> JSON.readTree(platform.certificates()
                .get("/api/v1/persons/" + applicant.iin() + "/events").body()).path("events").size() >= 1 ? true : null);
        open("/certificates");
        byId("issue-iin").sendKeys(applicant.iin());
        new org.openqa.selenium.support.ui.Select(byId("issue-type")).selectByValue("PSYCHIATRIC_CLEARANCE");
        byId("issue-purpose").sendKeys("справка для работы");
        byId("issue-go").click();
        assertThat(byId("cert-name").getText()).contains("Сейтқали Арман");
        assertThat(byId("cert-status").getText()).isEqualTo("ACTIVE");
        String qrSrc = byId("cert-qr").getDomProperty("src");
        HttpResponse<byte[]> png = download(qrSrc);
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type").orElse("")).startsWith("image/png");
        HttpResponse<byte[]> pdf = download(byId("cert-pdf").getDomProperty("href"));
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(new String(pdf.body(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        shot("07-certificate");

        String qrText = byId("cert-token").getDomProperty("value");
        open("/certificates");
        byId("verify-token").sendKeys(qrText);
        byId("verify-go").click();
        assertThat(byId("verification").getDomAttribute("data-status")).isEqualTo("VALID");
        shot("08-certificate-verified");

        Path file = Files.createTempFile("console-qr", ".png");
        Files.write(file, png.body());
        open("/certificates");
        byId("verify-file").sendKeys(file.toAbsolutePath().toString());
        byId("verify-file-go").click();
        assertThat(byId("verification").getDomAttribute("data-status")).isEqualTo("VALID");
        assertThat(byId("verification").getText()).contains("Сейтқали Арман");
    }

    @Test
    @Order(6)
    void capitationIsRunAndTheStatementItsChartAndItsCsvAreThere() throws Exception {
        // billing projects the attachment before a run can count the person
        platform.await("billing holds the person's attachment", DEADLINE, () -> {
            JsonNode events = JSON.readTree(platform.billing().get("/api/v1/persons/" + person.iin() + "/events").body());
            return events.path("events").size() >= 4 ? true : null;
        });
        open("/capitation?month=" + MONTH);
        byId("run-go").click();
        assertThat(byId("message").getText()).contains("Month " + MONTH + " computed");
        byId("polyclinics").findElement(By.linkText(POLYCLINIC)).click();
        assertThat(byId("totals").getText()).contains("persons attached");
        assertThat(byId("statement").findElement(By.cssSelector("svg.chart")).getText()).isNotNull();
        byId("lines-purpose").sendKeys("monthly capitation check");
        byId("lines-go").click();
        assertThat(byId("lines").getText()).contains(person.iin());
        shot("09-capitation");
        HttpResponse<byte[]> csv = download(byId("csv").getDomProperty("href"));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("capitation-" + MONTH + "-" + POLYCLINIC + ".csv");
        assertThat(new String(csv.body(), java.nio.charset.StandardCharsets.UTF_8)).contains(person.iin());
    }

    @Test
    @Order(7)
    void theFraudFlagIsConfirmedWithAComment() throws Exception {
        JsonNode flag = platform.await("the monitor flags the visit without a referral", DEADLINE, () -> {
            JsonNode page = JSON.readTree(platform.billing().get("/api/v1/fraud/flags?rule=NOT_ATTACHED_NO_REFERRAL&polyclinic="
                    + OTHER_POLYCLINIC + "&state=OPEN").body());
            return page.path("items").size() > 0 ? page.path("items").get(0) : null;
        });
        open("/fraud?rule=NOT_ATTACHED_NO_REFERRAL&polyclinic=" + OTHER_POLYCLINIC + "&state=OPEN");
        assertThat(byId("flags").getText()).contains("NOT_ATTACHED_NO_REFERRAL", "D-9");
        shot("10-fraud");
        byId("flags").findElement(By.cssSelector("a[href='/fraud/" + flag.path("flagId").asText() + "']")).click();
        assertThat(byId("flag-state").getText()).isEqualTo("OPEN");
        byId("flag-confirm").click();
        byId("comment").sendKeys("направления нет, пациент прикреплён к другой поликлинике");
        shot("11-fraud-flag");
        byId("flag-decide").click();
        assertThat(byId("message").getText()).isEqualTo("Flag confirmed");
        JsonNode decided = JSON.readTree(platform.billing().get("/api/v1/fraud/flags/" + flag.path("flagId").asText()).body());
        assertThat(decided.path("flag").path("state").asText()).isEqualTo("CONFIRMED");
        assertThat(decided.path("decisions").get(0).path("reviewer").asText()).isEqualTo("aigerim");
        assertThat(decided.path("decisions").get(0).path("comment").asText())
                .isEqualTo("направления нет, пациент прикреплён к другой поликлинике");
    }
}
