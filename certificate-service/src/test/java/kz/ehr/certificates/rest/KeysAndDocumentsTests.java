package kz.ehr.certificates.rest;

import static io.restassured.RestAssured.given;
import static kz.ehr.certificates.rest.CertificateLifecycleTests.issueWhenEligible;
import static kz.ehr.certificates.rest.CertificateLifecycleTests.verify;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.imageio.ImageIO;

import jakarta.inject.Inject;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import kz.ehr.certificates.Records;
import kz.ehr.certificates.signing.KeyRing;
import kz.ehr.certificates.verifier.CertificateJws;
import kz.ehr.certificates.verifier.EcJwk;
import kz.ehr.certificates.verifier.Jwks;
import kz.ehr.certificates.verifier.TokenVerifier;
import kz.ehr.certificates.verifier.VerificationStatus;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;
import kz.ehr.security.Roles;

/** The QR and PDF forms, the published keys and their rotation, and attacks on /verifications. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class KeysAndDocumentsTests {
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Inject
    AgroalDataSource dataSource;

    static String clearanceFor(String iin) {
        Records.patient(iin);
        return issueWhenEligible(iin, "PSYCHIATRIC_CLEARANCE").jsonPath().getString("number");
    }

    @Test
    void theQrCodeHoldsTheSignedTokenAndThePdfShowsItWithTheNameAndEveryReadIsAudited() throws Exception {
        String iin = Records.newIin();
        String number = clearanceFor(iin);

        byte[] png = given().auth().oauth2(TestTokens.of("clerk-7", Roles.CLINICIAN)).header("X-Purpose", "employment check").when()
                .get("/api/v1/certificates/" + number + "/qr.png").then().statusCode(200).contentType("image/png")
                .extract().asByteArray();
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        int[] pixels = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        // the image is a clean, computer-drawn code: read it as one (the generic detector hunting for finder patterns
        // in a photo failed one suite run of this session with FormatException on a valid code)
        String text = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(img.getWidth(), img.getHeight(), pixels))),
                java.util.Map.of(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
        assertThat(text).startsWith("KZC1:");
        Response verified = verify(text);
        assertThat(verified.jsonPath().getString("status")).isEqualTo("VALID");
        assertThat(verified.jsonPath().getString("certificate.no")).isEqualTo(number);

        byte[] pdf = CertificateLifecycleTests.clinician().when().get("/api/v1/certificates/" + number + "/pdf").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
        try (var doc = Loader.loadPDF(pdf)) {
            String content = new PDFTextStripper().getText(doc).replaceAll("\\s+", " "); // long lines wrap
            assertThat(content).contains("Ахметов Ерлан Серикович").contains(number).contains(iin)
                    .contains("Есепте тұрмайды / На учёте не состоит")
                    .contains("Демо медицинский центр «Денсаулық»").contains("200440012346");
        }

        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT actor, action, purpose FROM access_audit WHERE certificate_number = ? AND action LIKE 'READ%' ORDER BY id")) {
            ps.setString(1, number);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3))).containsExactly("clerk-7", "READ_QR", "employment check");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isEqualTo("READ_PDF");
            }
        }
    }

    @Test
    void afterRotationOldCertificatesStillVerifyAndTheJwksListsCurrentAndRetiredKeys() throws Exception {
        String iin = Records.newIin();
        Records.patient(iin);
        Response first = issueWhenEligible(iin, "NARCOLOGICAL_CLEARANCE");
        String oldKid = first.jsonPath().getString("kid");

        given().when().post("/api/v1/keys/rotation").then().statusCode(401);
        given().auth().oauth2(kz.ehr.testsupport.TestTokens.forged("mallory", "ops")).when().post("/api/v1/keys/rotation").then().statusCode(401);
        given().auth().oauth2(kz.ehr.testsupport.TestTokens.of("dana", "auditor")).when().post("/api/v1/keys/rotation").then().statusCode(403);
        String newKid = given().auth().oauth2(kz.ehr.testsupport.TestTokens.of("dana", "ops"))
                .when().post("/api/v1/keys/rotation").then().statusCode(201).extract().path("kid");
        assertThat(newKid).isNotEqualTo(oldKid);
        Response second = issueWhenEligible(iin, "NARCOLOGICAL_CLEARANCE");
        assertThat(second.jsonPath().getString("kid")).isEqualTo(newKid);

        String jwks = given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        List<Map<String, Object>> keys = io.restassured.path.json.JsonPath.from(jwks).getList("keys");
        Map<String, Object> byKid = new HashMap<>();
        keys.forEach(k -> byKid.put((String) k.get("kid"), k.get("status")));
        assertThat(byKid).containsEntry(newKid, "current").containsEntry(oldKid, "retired");
        assertThat(keys).allSatisfy(k -> assertThat(k).doesNotContainKey("d"));

        // offline, with nothing but the JWKS
        Map<String, EcJwk> published = Jwks.parse(jwks);
        TokenVerifier offline = new TokenVerifier(published::get, TokenVerifier.RevocationLookup.NONE, Clock.systemUTC(), 0);
        assertThat(offline.verify(first.jsonPath().getString("qr")).status()).isEqualTo(VerificationStatus.VALID);
        assertThat(offline.verify(second.jsonPath().getString("token")).status()).isEqualTo(VerificationStatus.VALID);
        assertThat(verify(first.jsonPath().getString("token")).jsonPath().getString("status")).isEqualTo("VALID");
        assertThat(verify(first.jsonPath().getString("token")).jsonPath().getString("kid")).isEqualTo(oldKid);
    }

    @Test
    void forgedTamperedAndExpiredTokensAreRejected() throws Exception {
        String iin = Records.newIin();
        Records.patient(iin);
        String token = issueWhenEligible(iin, "PSYCHIATRIC_CLEARANCE").jsonPath().getString("token");
        String[] parts = token.split("\\.");
        String kid = io.restassured.path.json.JsonPath.from(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)).getString("kid");

        char[] flipped = token.toCharArray();
        int at = parts[0].length() + 10;
        flipped[at] = flipped[at] == 'A' ? 'B' : 'A';
        assertThat(status(new String(flipped))).isEqualTo("INVALID_SIGNATURE");

        String none = B64.encodeToString(("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(status(none + "." + parts[1] + ".")).isEqualTo("INVALID_SIGNATURE");

        String jwks = given().when().get("/.well-known/jwks.json").then().extract().asString();
        String hs = B64.encodeToString(("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Jwks.parse(jwks).get(kid).publicKey().getEncoded(), "HmacSHA256"));
        String hsSig = B64.encodeToString(mac.doFinal((hs + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
        assertThat(status(hs + "." + parts[1] + "." + hsSig)).isEqualTo("INVALID_SIGNATURE");

        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        var stranger = g.generateKeyPair();
        Map<String, Object> claims = CertificateJws.unverifiedClaims(token);
        String foreign = CertificateJws.sign(claims, EcJwk.of((ECPublicKey) stranger.getPublic()).kid(), stranger.getPrivate());
        assertThat(status(foreign)).isEqualTo("UNKNOWN_KEY");

        // signed with the service's own key (read from its keystore under target/) but already past its expiry
        KeyRing ring = KeyRing.open(Path.of("target/test-keys/signing-keys.p12"), null, Path.of("target/test-keystore.password"));
        Map<String, Object> expiredClaims = new HashMap<>(claims);
        expiredClaims.put("no", "KZC-20250101-9999999999");
        expiredClaims.put("exp", Instant.now().minusSeconds(60).getEpochSecond());
        assertThat(status(ring.sign(expiredClaims))).isEqualTo("EXPIRED");

        assertThat(status("not a token")).isEqualTo("MALFORMED");
        given().contentType("application/json").body("{}").when().post("/api/v1/verifications").then().statusCode(200);
        assertThat(status(token)).isEqualTo("VALID");
    }

    static String status(String token) {
        return verify(token).jsonPath().getString("status");
    }
}
