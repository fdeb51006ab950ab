package kz.ehr.certificates.rendering;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;

import kz.ehr.certificates.eligibility.CertificateType;
import kz.ehr.certificates.issuance.IssuedCertificate;
import kz.ehr.certificates.verifier.QrChunks;
import kz.ehr.certificates.verifier.TokenVerifier;
import kz.ehr.certificates.verifier.VerificationStatus;

/**
 * Every form rendered as the service renders it, read back as a reader would: the text (PDFBox), the fonts, and the QR
 * codes scanned off a 150 dpi image of the printed page. {@code -Dcertificates.docs=<dir>} also writes each form's
 * first page as a PNG (docs/certificates/).
 */
class CertificateDocumentTests {
    static SampleCertificates samples;
    static CertificateDocument document;

    @BeforeAll
    static void setUp() throws Exception {
        samples = new SampleCertificates();
        document = new CertificateDocument(SampleCertificates.ISSUER, CertificateRenderer.font("classpath:fonts/DejaVuSans.ttf"),
                CertificateRenderer.font("classpath:fonts/DejaVuSans-Bold.ttf"));
    }

    @ParameterizedTest
    @EnumSource(CertificateType.class)
    void everyFormPrintsItsBilingualHeadingThePersonTheIssuerAndItsContent(CertificateType type) throws Exception {
        IssuedCertificate cert = samples.issue(type, 8);
        byte[] pdf = document.pdf(cert);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            if (System.getProperty("certificates.debug") != null) {
                ImageIO.write(new PDFRenderer(doc).renderImageWithDPI(0, 150), "png", Path.of(System.getProperty("certificates.debug"), type + ".png").toFile());
            }
            String text = oneLine(new PDFTextStripper().getText(doc));
            FormTexts.Form form = FormTexts.form(type);
            assertThat(text).contains("Қазақстан Республикасы Денсаулық сақтау министрлігі", "Министерство здравоохранения Республики Казахстан")
                    .contains(form.title().kk(), form.title().ru(), form.title().en())
                    .contains(cert.number(), (String) cert.claims().get("name"), cert.iin())
                    .contains(type.childOnly || type == CertificateType.F063 ? "01.01.2019" : "01.01.1990")
                    .contains("«Денсаулық» демо медициналық орталығы", "Демо медицинский центр «Денсаулық»", "200440012346")
                    .contains("Берілген күні", "Дата выдачи", "28.11.2026", "Действительна по")
                    .contains("http://localhost:8083/verify");
            if (form.code() != null) {
                assertThat(text).contains("Медициналық құжаттама нысаны № " + form.code(), "Форма медицинской документации № " + form.code());
            }
            switch (type) {
                case F075, F086, F026 -> assertThat(text).contains("Медицинское заключение", "Жарамды / Годен", form.purpose().ru(),
                        SampleCertificates.EXAM_FACILITY_BIN, "D-17");
                case F083 -> assertThat(text).contains("Жарамды / Годен", "к управлению транспортным средством",
                        "Проверены диспансерные учёты", "Наркологиялық / Наркологический", "Психиатриялық / Психиатрический",
                        "Есепте тұрмайды / На учёте не состоит");
                case PSYCHIATRIC_CLEARANCE -> assertThat(text).contains("Психиатриялық / Психиатрический", "На учёте не состоит");
                case NARCOLOGICAL_CLEARANCE -> assertThat(text).contains("Наркологиялық / Наркологический", "На учёте не состоит");
                case TB_CLEARANCE -> assertThat(text).contains("Туберкулезге қарсы / Противотуберкулёзный", "На учёте не состоит");
                case F063 -> assertThat(text).contains("Профилактикалық егулер / Профилактические прививки", "Вакцина", "Доза",
                        "Егу күні", "БЦЖ 1 03.01.2019", "АКДС 1");
                case F052 -> assertThat(text).contains("Жалпы мәліметтер / Общие сведения", "A(II) Rh+", "пенициллин", "990440000123",
                        "Перенесённые заболевания (МКБ-10)", "J20.9", "Госпитализации", "03.11.2024", "09.11.2024",
                        "Профилактические осмотры", "01.09.2025", "Профилактические прививки", "БЦЖ");
            }
            for (PDPage page : doc.getPages()) {
                for (var name : page.getResources().getFontNames()) {
                    PDFont f = page.getResources().getFont(name);
                    assertThat(f.isEmbedded()).as("font %s embedded", f.getName()).isTrue();
                }
            }
            assertThat(verify(scan(doc, type == CertificateType.F052 ? 1 : 0))).as("the QR codes on the first page scan back to a valid certificate")
                    .isEqualTo(VerificationStatus.VALID);
            Path dir = System.getProperty("certificates.docs") == null ? null : Path.of(System.getProperty("certificates.docs"));
            if (dir != null) {
                Files.createDirectories(dir);
                ImageIO.write(new PDFRenderer(doc).renderImageWithDPI(0, 80), "png", dir.resolve(type.name() + ".png").toFile());
            }
        }
    }

    @Test
    void aLongVaccinationCardListsEveryDoseOverSeveralPagesWithTheHeaderRepeatedAndItsQrSplitAtVersion22() throws Exception {
        IssuedCertificate cert = samples.issue(CertificateType.F063, 60);
        try (PDDocument doc = Loader.loadPDF(document.pdf(cert))) {
            assertThat(doc.getNumberOfPages()).isGreaterThan(1);
            PDFTextStripper stripper = new PDFTextStripper();
            String all = oneLine(stripper.getText(doc));
            for (int i = 0; i < 60; i++) {
                String vaccine = SampleCertificates.VACCINES[i % SampleCertificates.VACCINES.length] + (i >= SampleCertificates.VACCINES.length ? "-" + i : "");
                assertThat(all).as("dose %d", i + 1).contains((i + 1) + " " + vaccine + " ");
            }
            stripper.setStartPage(2);
            stripper.setEndPage(2);
            assertThat(oneLine(stripper.getText(doc))).as("the table header again on page 2").contains("Вакцина", "Егу күні", "Дата прививки")
                    .contains("Бет / Страница / Page 2 / " + doc.getNumberOfPages()).contains(cert.number());

            List<String> texts = scan(doc, 0);
            assertThat(texts).hasSizeGreaterThan(1);
            assertThat(texts).allSatisfy(t -> assertThat(QrCodes.paperVersion(t)).isLessThanOrEqualTo(QrCodes.MAX_PAPER_VERSION));
            assertThat(verify(texts)).isEqualTo(VerificationStatus.VALID);
            assertThat(all).contains("QR-код разделён на " + texts.size() + " части");
        }
    }

    @Test
    void theHealthPassportIsAnA5BookletWithASectionAPage() throws Exception {
        IssuedCertificate cert = samples.issue(CertificateType.F052, 30);
        try (PDDocument doc = Loader.loadPDF(document.pdf(cert))) {
            assertThat(doc.getNumberOfPages()).isGreaterThanOrEqualTo(5);
            assertThat(doc.getPage(0).getMediaBox().getWidth()).isEqualTo(PDRectangle.A5.getWidth());
            PDFTextStripper stripper = new PDFTextStripper();
            // cover, the QR codes inside the cover, then a section a page
            List<String> expected = List.of("Общие сведения", "Перенесённые заболевания", "Профилактические осмотры", "Профилактические прививки");
            for (int i = 0; i < expected.size(); i++) {
                stripper.setStartPage(i + 3);
                stripper.setEndPage(i + 3);
                assertThat(oneLine(stripper.getText(doc))).as("page %d", i + 3).contains(expected.get(i));
            }
            stripper.setStartPage(1);
            stripper.setEndPage(doc.getNumberOfPages());
            assertThat(oneLine(stripper.getText(doc))).contains("30 ИПВ-29 ");
            assertThat(verify(scan(doc, 1))).isEqualTo(VerificationStatus.VALID);
        }
    }

    @Test
    void theEmbeddedFontHasEveryKazakhLetterAndTheNamesComeBackIntact() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            PDType0Font f = PDType0Font.load(doc, new java.io.ByteArrayInputStream(CertificateRenderer.font("classpath:fonts/DejaVuSans.ttf")));
            for (char ch : "ӘәҒғҚқҢңӨөҰұҮүҺһІі№«»—".toCharArray()) {
                assertThat(f.encode(String.valueOf(ch))).as("glyph for %s", ch).isNotEmpty();
            }
        }
        try (PDDocument doc = Loader.loadPDF(document.pdf(samples.issue(CertificateType.F026, 1)))) {
            assertThat(new PDFTextStripper().getText(doc)).contains("Һасенұлы Өмірғали Іңкәрұлы");
        }
    }

    @Test
    void theDemoOrganisationsBinIsAValidBin() {
        assertThat(kz.ehr.identity.Bin.problem(SampleCertificates.ISSUER.bin())).isEmpty();
    }

    /** The text with line breaks as spaces: long titles and labels wrap. */
    static String oneLine(String text) {
        return text.replaceAll("\\s+", " ");
    }

    /** The QR texts a camera reads off the page, printed at 150 dpi. */
    static List<String> scan(PDDocument doc, int page) throws Exception {
        BufferedImage img = new PDFRenderer(doc).renderImageWithDPI(page, 150);
        int[] pixels = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        Result[] results = new QRCodeMultiReader().decodeMultiple(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(img.getWidth(), img.getHeight(), pixels))), Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE));
        List<String> texts = new ArrayList<>();
        for (Result r : results) {
            texts.add(r.getText());
        }
        return texts;
    }

    static VerificationStatus verify(List<String> texts) {
        String joined = QrChunks.join(String.join("\n", texts));
        return new TokenVerifier(kid -> samples.jwk, TokenVerifier.RevocationLookup.NONE,
                Clock.fixed(SampleCertificates.NOW, SampleCertificates.ZONE), 0).verify(joined).status();
    }
}
