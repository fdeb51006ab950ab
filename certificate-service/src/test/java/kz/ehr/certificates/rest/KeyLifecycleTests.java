package kz.ehr.certificates.rest;

import static io.restassured.RestAssured.given;
import static kz.ehr.certificates.rest.CertificateLifecycleTests.awaitStatus;
import static kz.ehr.certificates.rest.CertificateLifecycleTests.issueWhenEligible;
import static kz.ehr.certificates.rest.CertificateLifecycleTests.verify;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import kz.ehr.certificates.Records;
import kz.ehr.certificates.signing.KeyRing;
import kz.ehr.certificates.verifier.CertificateJws;
import kz.ehr.certificates.verifier.VerifyCli;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/** Retirement and withdrawal of signing keys, through REST, the JWKS and the offline verifier. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class KeyLifecycleTests {
    @Inject
    AgroalDataSource dataSource;

    static String kid(String token) {
        return JsonPath.from(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8)).getString("kid");
    }

    static String rotate() {
        return given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).when().post("/api/v1/keys/rotation")
                .then().statusCode(201).extract().path("kid");
    }

    @Test
    void aRetiredKeyVerifiesWhatItSignedBeforeItsRetirementButNotATokenItSignsAfter() throws Exception {
        String iin = Records.newIin();
        Records.patient(iin);
        String before = issueWhenEligible(iin, "NARCOLOGICAL_CLEARANCE").jsonPath().getString("token");
        String oldKid = kid(before);
        String newKid = rotate();
        assertThat(verify(before).jsonPath().getString("status")).isEqualTo("VALID");

        Map<String, Object> jwk = JsonPath.from(given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().asString())
                .<Map<String, Object>>getList("keys").stream().filter(k -> oldKid.equals(k.get("kid"))).findFirst().orElseThrow();
        Instant retiredAt = Instant.parse((String) jwk.get("retiredAt"));
        assertThat(jwk).containsEntry("status", "retired");
        assertThat(Instant.ofEpochSecond(((Number) CertificateJws.unverifiedClaims(before).get("iat")).longValue())).isBefore(retiredAt);

        // the old private key, stolen or run by a lagging instance, signs "today": not accepted
        KeyRing ring = KeyRing.open(Path.of("target/test-keys/signing-keys.p12"), null, Path.of("target/test-keystore.password"));
        Map<String, Object> late = new HashMap<>(CertificateJws.unverifiedClaims(before));
        late.put("no", "KZC-20990101-LATE000000");
        late.put("iat", retiredAt.getEpochSecond() + 1);
        String lateToken = ring.sign(late, CertificateJws.TYPE, oldKid).token();
        assertThat(verify(lateToken).jsonPath().getString("status")).isEqualTo("KEY_RETIRED");
        assertThat(kid(issueWhenEligible(iin, "NARCOLOGICAL_CLEARANCE").jsonPath().getString("token"))).isEqualTo(newKid);
    }

    @Test
    void aWithdrawnKeyVerifiesNothingLeavesTheJwksAndTheOfflineVerifierRefusesAJwksFromBefore() throws Exception {
        String iin = Records.newIin();
        Records.patient(iin);
        Response issued = issueWhenEligible(iin, "PSYCHIATRIC_CLEARANCE");
        String token = issued.jsonPath().getString("token");
        String compromised = kid(token);
        Path dir = Files.createTempDirectory("withdrawal");
        Path jwksBefore = Files.writeString(dir.resolve("jwks-before.json"),
                given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().asString());

        String path = "/api/v1/keys/" + compromised + "/withdrawal";
        given().when().post(path).then().statusCode(401);
        given().auth().oauth2(TestTokens.of("dana", Roles.AUDITOR)).when().post(path).then().statusCode(403);
        given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).when().post("/api/v1/keys/no-such-kid/withdrawal")
                .then().statusCode(404).body("code", org.hamcrest.Matchers.equalTo("UNKNOWN_KEY"));
        // the key signs now: withdrawing it rotates first
        Response withdrawn = given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).header(Caller.PURPOSE_HEADER, "incident 7: key leaked")
                .when().post(path).then().statusCode(200).extract().response();
        assertThat(withdrawn.jsonPath().getString("kid")).isEqualTo(compromised);
        assertThat(withdrawn.jsonPath().getString("current")).isNotEqualTo(compromised);

        awaitStatus(token, "KEY_WITHDRAWN");
        assertThat(verify(issued.jsonPath().getString("qr")).jsonPath().getString("status")).isEqualTo("KEY_WITHDRAWN");
        assertThat(verify(token).jsonPath().getMap("certificate")).isNull();
        String jwksAfter = given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        assertThat(JsonPath.from(jwksAfter).<String>getList("keys.kid")).doesNotContain(compromised).isNotEmpty();
        assertThat(JsonPath.from(jwksAfter).<String>getList("withdrawn.kid")).contains(compromised);
        given().when().get("/api/v1/revocations/" + compromised).then().statusCode(404);
        assertThat(JsonPath.from(given().when().get("/api/v1/revocations").then().statusCode(200).extract().asString())
                .<String>getList("lists.kid")).doesNotContain(compromised);
        // a second withdrawal changes nothing; new certificates are signed by another key and valid
        given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).when().post(path).then().statusCode(200)
                .body("withdrawnAt", org.hamcrest.Matchers.equalTo(withdrawn.jsonPath().getString("withdrawnAt")));
        String fresh = issueWhenEligible(iin, "PSYCHIATRIC_CLEARANCE").jsonPath().getString("token");
        assertThat(kid(fresh)).isNotEqualTo(compromised);
        assertThat(verify(fresh).jsonPath().getString("status")).isEqualTo("VALID");

        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT actor, purpose FROM access_audit WHERE action = 'KEY_WITHDRAWAL' AND certificate_number = ?")) {
            ps.setString(1, "key:" + compromised);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(List.of(rs.getString(1), rs.getString(2))).containsExactly("aigerim", "incident 7: key leaked");
            }
        }

        // offline: the current JWKS says KEY_WITHDRAWN; the one downloaded before still lists the key, so once it is
        // older than the maximum age the verifier refuses it rather than answer VALID
        Path jwksNow = Files.writeString(dir.resolve("jwks.json"), jwksAfter);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(VerifyCli.run(new String[] {"--jwks", jwksNow.toString(), "--token", token}, print, Clock.systemUTC())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"KEY_WITHDRAWN\"");
        Clock dayAfter = Clock.offset(Clock.systemUTC(), Duration.ofHours(25));
        assertThat(VerifyCli.run(new String[] {"--jwks", jwksBefore.toString(), "--token", token}, print, dayAfter)).isEqualTo(2);
    }
}
