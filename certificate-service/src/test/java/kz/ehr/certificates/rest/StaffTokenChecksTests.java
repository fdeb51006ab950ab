package kz.ehr.certificates.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.security.Roles;
import kz.ehr.security.StaffTokens;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/**
 * The staff-token checks every service makes (service-security's config defaults: issuer, audience, RS256 only, at
 * most 12 h from iat to exp, exp/nbf with 60 s of skew), shown on a real endpoint of this one with really signed
 * tokens. The auditor's audit read stands for every staff endpoint: they all share the one verifier.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class StaffTokenChecksTests {
    static final String ENDPOINT = "/api/v1/audit";
    static final long HOUR = 3600;

    static int statusWith(String token) {
        return given().auth().oauth2(token).queryParam("limit", 1).when().get(ENDPOINT).then().extract().statusCode();
    }

    /** The claims of a good auditor token issued {@code iatOffset} seconds from now and living {@code lifetime} s. */
    static Map<String, Object> claims(long iatOffset, long lifetime) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", StaffTokens.ISSUER);
        c.put("aud", StaffTokens.AUDIENCE);
        c.put("sub", "marat");
        c.put("upn", "marat");
        c.put("groups", java.util.List.of(Roles.AUDITOR));
        c.put("iat", now + iatOffset);
        c.put("exp", now + iatOffset + lifetime);
        return c;
    }

    static String json(Map<String, Object> claims) {
        StringBuilder b = new StringBuilder("{");
        claims.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(k).append("\":");
            if (v instanceof Number) {
                b.append(v);
            } else if (v instanceof java.util.List<?> list) {
                b.append('[').append(String.join(",", list.stream().map(x -> "\"" + x + "\"").toList())).append(']');
            } else {
                b.append('"').append(v).append('"');
            }
        });
        return b.append('}').toString();
    }

    static String signed(Map<String, Object> claims) {
        return TestTokens.signedPayload(json(claims));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The classic algorithm confusion: HS256 keyed with the bytes a verifier holds as the RS256 public key. */
    static String hs256(byte[] secret, Map<String, Object> claims) throws GeneralSecurityException {
        String input = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64(json(claims).getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    static byte[] publicKeyPem() throws IOException {
        return TestTokens.publicKeyPem().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aValidTokenIsServedAndSoIsOneOfExactlyTwelveHours() {
        assertThat(statusWith(TestTokens.of("marat", Roles.AUDITOR))).isEqualTo(200);
        assertThat(statusWith(signed(claims(0, 12 * HOUR)))).isEqualTo(200);
        // nbf a little ahead of this clock is within the skew
        Map<String, Object> slightlyAhead = claims(0, HOUR);
        slightlyAhead.put("nbf", (Long) slightlyAhead.get("iat") + 20);
        assertThat(statusWith(signed(slightlyAhead))).isEqualTo(200);
    }

    @Test
    void anUnsignedTokenWithAlgNoneIsRefused() {
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64(json(claims(0, HOUR)).getBytes(StandardCharsets.UTF_8)) + ".";
        assertThat(statusWith(none)).isEqualTo(401);
    }

    @Test
    void anHs256TokenKeyedWithThePublicKeyIsRefused() throws Exception {
        byte[] pem = publicKeyPem();
        assertThat(statusWith(hs256(pem, claims(0, HOUR)))).as("HMAC keyed with the PEM text").isEqualTo(401);
        byte[] der = StaffTokens.readPublicPem(new String(pem, StandardCharsets.US_ASCII)).getEncoded();
        assertThat(statusWith(hs256(der, claims(0, HOUR)))).as("HMAC keyed with the DER bytes").isEqualTo(401);
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        Map<String, Object> c = claims(0, HOUR);
        c.put("iss", "some-other-idp");
        assertThat(statusWith(signed(c))).isEqualTo(401);
    }

    @Test
    void aTokenForAnotherAudienceOrForNoAudienceIsRefused() {
        Map<String, Object> other = claims(0, HOUR);
        other.put("aud", "payroll-system");
        assertThat(statusWith(signed(other))).as("another audience").isEqualTo(401);
        Map<String, Object> none = claims(0, HOUR);
        none.remove("aud");
        assertThat(statusWith(signed(none))).as("no audience").isEqualTo(401);
    }

    @Test
    void anExpiredTokenIsRefused() {
        assertThat(statusWith(TestTokens.expired("marat", Roles.AUDITOR))).isEqualTo(401);
        assertThat(statusWith(signed(claims(-2 * HOUR, HOUR - 300)))).as("expired five minutes ago").isEqualTo(401);
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        Map<String, Object> c = claims(0, 2 * HOUR);
        c.put("nbf", (Long) c.get("iat") + HOUR);
        assertThat(statusWith(signed(c))).isEqualTo(401);
    }

    @Test
    void aTokenLivingLongerThanTwelveHoursOrWithoutIatIsRefused() {
        assertThat(statusWith(signed(claims(0, 12 * HOUR + 1)))).as("12 h and a second").isEqualTo(401);
        assertThat(statusWith(signed(claims(0, 365 * 24 * HOUR)))).as("a year").isEqualTo(401);
        Map<String, Object> noIat = claims(0, HOUR);
        noIat.remove("iat");
        assertThat(statusWith(signed(noIat))).as("no iat, so no lifetime to check").isEqualTo(401);
    }
}
