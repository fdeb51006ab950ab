package kz.ehr.certificates.rendering;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

import kz.ehr.certificates.eligibility.CertificateType;
import kz.ehr.certificates.eligibility.Decision;
import kz.ehr.certificates.eligibility.EligibilityPolicy;
import kz.ehr.certificates.eligibility.EligibilityRules;
import kz.ehr.certificates.eligibility.PersonFacts;
import kz.ehr.certificates.verifier.CertificateJws;
import kz.ehr.certificates.verifier.EcJwk;
import kz.ehr.certificates.verifier.QrPayload;
import kz.ehr.certificates.verifier.TokenVerifier;
import kz.ehr.certificates.verifier.VerificationStatus;

class QrCapacityTests {
    @Test
    void theLargestHealthPassportStillFitsOneScreenQrCodeAndSplitsIntoVersion22CodesOnPaper() throws Exception {
        LocalDate today = LocalDate.of(2026, 11, 28);
        PersonFacts.Builder b = PersonFacts.builder("190101500019").counted().name("Жұмабекова", "Әйгерім", "Нұрланқызы")
                .birth(LocalDate.of(2019, 1, 1), "F").attachment("990340000013", LocalDate.of(2019, 1, 5), null)
                .observation("BLOOD_GROUP", "A(II) Rh+", LocalDate.of(2019, 2, 1));
        for (int i = 0; i < 60; i++) {
            LocalDate d = LocalDate.of(2019, 2, 1).plusDays(i * 30L);
            b.immunization("ВАКЦИНА-" + i, i % 4 + 1, d).observation("ALLERGY", "аллерген номер " + i, d)
                    .encounter(d, i % 2 == 0 ? "SCREENING" : "VISIT", List.of("J%02d.%d".formatted(i % 99, i % 10)))
                    .hospitalization("99034000" + (1000 + i), d, d.plusDays(5));
        }
        EligibilityPolicy policy = new EligibilityPolicy(Map.of(), Map.of(), java.time.Period.ofYears(1), 18, java.util.Set.of());
        Decision d = new EligibilityRules(policy).evaluate(CertificateType.F052, b.build(), today);
        assertThat(d.eligible()).isTrue();

        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        var kp = g.generateKeyPair();
        EcJwk jwk = EcJwk.of((ECPublicKey) kp.getPublic());
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "https://certificates.ehr.kz");
        claims.put("no", "KZC-20261128-0000000001");
        claims.put("typ", "F052");
        claims.put("form", "052-2/у");
        claims.put("sub", "190101500019");
        claims.put("name", "Жұмабекова Әйгерім Нұрланқызы");
        claims.put("exp", 4_102_444_800L);
        claims.put("concl", d.conclusion());
        claims.put("c", d.content());
        String qrText = QrPayload.encode(CertificateJws.sign(claims, jwk.kid(), kp.getPrivate()));

        BufferedImage img = CertificateRenderer.qrImage(qrText, 2);
        int[] pixels = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        String scanned = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(img.getWidth(), img.getHeight(), pixels))), Map.of(DecodeHintType.PURE_BARCODE, true)).getText();
        assertThat(scanned).isEqualTo(qrText);
        assertThat(new TokenVerifier(kid -> jwk, TokenVerifier.RevocationLookup.NONE, Clock.systemUTC(), 0).verify(scanned).status())
                .isEqualTo(VerificationStatus.VALID);
        System.out.println("worst-case F052 QR text: " + qrText.length() + " characters");

        // on paper the same text is split into codes of version 22 at most, which join back into the same token
        List<String> paper = QrCodes.paperTexts(qrText);
        assertThat(paper).hasSizeGreaterThan(1).allSatisfy(t -> assertThat(QrCodes.paperVersion(t)).isLessThanOrEqualTo(22));
        java.util.Collections.reverse(paper = new java.util.ArrayList<>(paper));
        assertThat(kz.ehr.certificates.verifier.QrChunks.join(String.join("\n", paper))).isEqualTo(qrText);
    }
}
