package kz.ehr.certificates.verifypage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.certificates.Records;
import kz.ehr.certificates.verifier.QrPayload;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.HeadlessChromium;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/**
 * The public /verify page in Debian's headless Chromium, driven by its chromedriver ({@link HeadlessChromium}). Certificates are issued through the real broker and database, as in the other tests.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class VerifyPageBrowserTests {
    static final Duration DEADLINE = Duration.ofSeconds(60);

    static WebDriver browser;

    @TestHTTPResource("/verify")
    URL page;

    @BeforeAll
    static void startBrowser() {
        browser = chromium(List.of());
    }

    /** Debian's headless Chromium through its chromedriver, with {@code extra} arguments. */
    static WebDriver chromium(List<String> extra) {
        return HeadlessChromium.start(DEADLINE, extra);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    static io.restassured.specification.RequestSpecification clinician() {
        return given().auth().oauth2(TestTokens.of("dr-aliya", Roles.CLINICIAN)).header(Caller.PURPOSE_HEADER, "verify page test");
    }

    /** A fresh person with a psychiatric clearance; its number and QR text. */
    static Map<String, String> clearance() {
        String iin = Records.newIin();
        Records.patient(iin);
        io.restassured.response.Response[] issued = new io.restassured.response.Response[1];
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
            issued[0] = clinician().contentType("application/json").body(Map.of("iin", iin, "type", "PSYCHIATRIC_CLEARANCE"))
                    .when().post("/api/v1/certificates");
            return issued[0].statusCode() == 201;
        });
        return Map.of("iin", iin, "number", issued[0].jsonPath().getString("number"), "qr", issued[0].jsonPath().getString("qr"),
                "token", issued[0].jsonPath().getString("token"));
    }

    void open(String lang) {
        browser.get(page + "?lang=" + lang);
        new WebDriverWait(browser, DEADLINE).until(d -> d.findElement(By.id("title")).getText().length() > 0);
    }

    void paste(String text) {
        WebElement box = browser.findElement(By.id("token"));
        box.clear();
        box.sendKeys(text);
        browser.findElement(By.id("check")).click();
    }

    String awaitStatus(String expected) {
        new WebDriverWait(browser, DEADLINE).withMessage(() -> "the page shows " + browser.findElement(By.id("result"))
                .getDomAttribute("data-status") + ": " + browser.findElement(By.id("result")).getText())
                .until(d -> expected.equals(d.findElement(By.id("result")).getDomAttribute("data-status")));
        return browser.findElement(By.id("result")).getText();
    }

    String awaitText(String expected) {
        new WebDriverWait(browser, DEADLINE).until(d -> d.findElement(By.id("result")).getText().contains(expected));
        return browser.findElement(By.id("result")).getText();
    }

    @Test
    void aPastedValidCertificateShowsValidWithNameBirthDateFormAndDatesInKazakhAndRussian() {
        Map<String, String> cert = clearance();
        open("kk");
        paste(cert.get("qr"));
        awaitStatus("VALID");
        // the form's name arrives with /verify/forms.json, which may answer after the verification
        String kk = awaitText("Психиатриялық есепте тұрмайтыны туралы анықтама");
        assertThat(kk).contains("Жарамды", "Ахметов Ерлан Серикович", "15.03.1985", "Психиатриялық есепте тұрмайтыны туралы анықтама",
                cert.get("number"), "Берілген күні", "Жарамдылық мерзімі");
        assertThat(browser.switchTo().activeElement().getDomAttribute("id")).as("the answer takes the focus").isEqualTo("result");

        browser.findElement(By.id("lang-ru")).click();
        new WebDriverWait(browser, DEADLINE).until(d -> d.findElement(By.id("result-status")).getText().equals("Действительна"));
        assertThat(browser.findElement(By.id("result")).getText()).contains("ФИО", "Ахметов Ерлан Серикович", "Дата рождения",
                "Справка о том, что не состоит на психиатрическом учёте", "Действительна по");
        assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("ru");
        if (System.getProperty("certificates.docs") != null) { // the picture in docs/certificates.md
            byte[] shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
            try {
                Files.write(Path.of(System.getProperty("certificates.docs"), "verify-page.png"), shot);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void theKeyboardAloneChecksATextCtrlEnterInTheBoxAndTheLanguageButtonsAreReachable() {
        Map<String, String> cert = clearance();
        open("ru");
        WebElement box = browser.findElement(By.id("token"));
        box.sendKeys(cert.get("token"));
        box.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        assertThat(awaitStatus("VALID")).contains("Действительна", "Ахметов Ерлан Серикович");
        // every control is a native button or field: Tab reaches them in order
        browser.findElement(By.id("lang-kk")).sendKeys(Keys.ENTER);
        new WebDriverWait(browser, DEADLINE).until(d -> d.findElement(By.id("result-status")).getText().equals("Жарамды"));
    }

    @Test
    void anUploadedQrImageAndAnUploadedPdfAreReadOnTheServerAndVerified() throws Exception {
        Map<String, String> cert = clearance();
        Path dir = Files.createTempDirectory("verify-page");
        Path png = dir.resolve("qr.png");
        Files.write(png, clinician().when().get("/api/v1/certificates/" + cert.get("number") + "/qr.png").then().statusCode(200)
                .extract().asByteArray());
        Path pdf = dir.resolve("certificate.pdf");
        Files.write(pdf, clinician().when().get("/api/v1/certificates/" + cert.get("number") + "/pdf").then().statusCode(200)
                .extract().asByteArray());

        open("kk");
        browser.findElement(By.id("file")).sendKeys(png.toAbsolutePath().toString());
        assertThat(awaitStatus("VALID")).contains("Жарамды", "Ахметов Ерлан Серикович", cert.get("number"));

        open("ru");
        browser.findElement(By.id("file")).sendKeys(pdf.toAbsolutePath().toString());
        assertThat(awaitStatus("VALID")).contains("Действительна", "Ахметов Ерлан Серикович", cert.get("number"));
    }

    /**
     * The camera path, with Chromium's fake capture device playing a video of the certificate's QR code (headless
     * Chromium on Linux has no BarcodeDetector, so this is the fallback: a frame a second to /verify/scan).
     */
    @Test
    void aQrCodeShownToTheCameraIsReadAndVerifiedAndTheCameraStops() throws Exception {
        Map<String, String> cert = clearance();
        java.awt.image.BufferedImage qr = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(clinician().when()
                .get("/api/v1/certificates/" + cert.get("number") + "/qr.png").then().statusCode(200).extract().asByteArray()));
        Path video = Files.createTempDirectory("verify-camera").resolve("qr.y4m");
        writeY4m(qr, video);
        WebDriver camera = chromium(List.of("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-video-capture=" + video.toAbsolutePath()));
        try {
            camera.get(page + "?lang=ru");
            new WebDriverWait(camera, DEADLINE).until(d -> d.findElement(By.id("title")).getText().length() > 0);
            camera.findElement(By.id("camera-start")).click();
            new WebDriverWait(camera, DEADLINE).until(d -> "VALID".equals(d.findElement(By.id("result")).getDomAttribute("data-status")));
            assertThat(camera.findElement(By.id("result")).getText()).contains("Действительна", "Ахметов Ерлан Серикович",
                    cert.get("number"));
            // a code read stops the camera: the start button is back and the video is hidden
            new WebDriverWait(camera, DEADLINE).until(d -> d.findElement(By.id("camera-start")).isDisplayed());
            assertThat(camera.findElement(By.id("video")).isDisplayed()).isFalse();
        } finally {
            camera.quit();
        }
    }

    /**
     * A two-frame YUV4MPEG2 video (the format Chromium's fake capture device plays in a loop) of {@code image} in
     * black and white on a white frame: luma from the pixels, neutral chroma.
     */
    static void writeY4m(java.awt.image.BufferedImage image, Path to) throws java.io.IOException {
        int w = Math.max(640, image.getWidth() + 80) & ~1;
        int h = Math.max(480, image.getHeight() + 80) & ~1;
        int x0 = (w - image.getWidth()) / 2;
        int y0 = (h - image.getHeight()) / 2;
        byte[] luma = new byte[w * h];
        java.util.Arrays.fill(luma, (byte) 255);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int grey = (((rgb >> 16) & 255) * 299 + ((rgb >> 8) & 255) * 587 + (rgb & 255) * 114) / 1000;
                luma[(y0 + y) * w + x0 + x] = (byte) grey;
            }
        }
        byte[] chroma = new byte[(w / 2) * (h / 2)];
        java.util.Arrays.fill(chroma, (byte) 128);
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(to))) {
            out.write(("YUV4MPEG2 W" + w + " H" + h + " F2:1 Ip A1:1 C420jpeg\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int frame = 0; frame < 2; frame++) {
                out.write("FRAME\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.write(luma);
                out.write(chroma);
                out.write(chroma);
            }
        }
    }

    @Test
    void aRevokedCertificateShowsRevokedAndWhenButNeverWhy() {
        Map<String, String> cert = clearance();
        Records.dispensary(cert.get("iin"), "PSYCHIATRIC", "REGISTERED", Records.today());
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(300)).until(() -> "REVOKED".equals(given().contentType("application/json")
                .body(Map.of("token", cert.get("qr"))).when().post("/api/v1/verifications").jsonPath().getString("status")));
        for (String lang : List.of("kk", "ru")) {
            open(lang);
            paste(cert.get("qr"));
            String shown = awaitStatus("REVOKED");
            assertThat(shown).contains(lang.equals("kk") ? "Кері қайтарылған" : "Отозвана")
                    .contains(lang.equals("kk") ? "Кері қайтарылған уақыты" : "Время отзыва").contains("(Алматы)");
            String page = browser.findElement(By.tagName("body")).getText().replace(cert.get("number"), "<number>");
            assertThat(page).doesNotContain("REGISTERED", "PSYCHIATRIC", "Психиатр", "психиатр", "учёт",
                    "Ахметов", "15.03.1985");
            assertThat(browser.getPageSource()).doesNotContain("REGISTERED_PSYCHIATRIC");
        }
    }

    @Test
    void aForgedCertificateIsShownInvalid() {
        Map<String, String> cert = clearance();
        String[] jws = cert.get("token").split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(jws[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("Ахметов", "Ахмедов");
        String forged = jws[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + jws[2];
        open("kk");
        paste(QrPayload.encode(forged));
        assertThat(awaitStatus("INVALID_SIGNATURE")).contains("Жарамсыз").doesNotContain("Ахмедов");
        open("ru");
        paste("KZC1:NOT A CERTIFICATE");
        assertThat(awaitStatus("MALFORMED")).contains("Недействительна");
    }
}
