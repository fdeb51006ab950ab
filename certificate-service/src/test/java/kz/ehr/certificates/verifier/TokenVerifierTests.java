package kz.ehr.certificates.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenVerifierTests {
    static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    static final Instant REVOKED_AT = NOW.minusSeconds(600);

    static KeyPair newKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    final KeyPair ours = newKey();
    final EcJwk jwk = EcJwk.of((ECPublicKey) ours.getPublic());
    final TokenVerifier verifier = new TokenVerifier(kid -> kid.equals(jwk.kid()) ? jwk : null,
            (kid, no) -> "F083-REVOKED".equals(no) ? Optional.of(REVOKED_AT) : Optional.empty(), CLOCK, 1000);

    TokenVerifierTests() throws Exception {
    }

    static Map<String, Object> claims(String number, Instant expires) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "https://certificates.ehr.kz");
        c.put("no", number);
        c.put("typ", "F083");
        c.put("sub", "850315300019");
        c.put("name", "Ахметов Ерлан Серикович");
        c.put("iat", NOW.minusSeconds(3600).getEpochSecond());
        c.put("exp", expires.getEpochSecond());
        c.put("c", Map.of("notRegistered", List.of("NARCOLOGICAL", "PSYCHIATRIC")));
        return c;
    }

    String valid() {
        return CertificateJws.sign(claims("F083-1", NOW.plusSeconds(86400)), jwk.kid(), ours.getPrivate());
    }

    @Test
    void aGenuineTokenIsValidAndItsClaimsAreReturned() {
        VerificationResult r = verifier.verify(valid());
        assertThat(r.status()).isEqualTo(VerificationStatus.VALID);
        assertThat(r.kid()).isEqualTo(jwk.kid());
        assertThat(r.claims()).containsEntry("no", "F083-1").containsEntry("name", "Ахметов Ерлан Серикович");
    }

    @Test
    void theQrTextIsAlphanumericAndVerifiesLikeTheToken() {
        String qr = QrPayload.encode(valid());
        assertThat(qr).startsWith("KZC1:").matches("[0-9A-Z $%*+\\-./:]+");
        assertThat(qr.length()).isLessThan(valid().length() * 3 / 2);
        assertThat(verifier.verify(qr).status()).isEqualTo(VerificationStatus.VALID);
    }

    @Test
    void noSingleFlippedByteAnywhereInTheTokenVerifies() {
        String token = valid();
        // a fresh verifier without cache so that every variant is checked from scratch
        TokenVerifier cold = new TokenVerifier(kid -> kid.equals(jwk.kid()) ? jwk : null, TokenVerifier.RevocationLookup.NONE, CLOCK, 0);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < token.length(); i++) {
            for (int bit : new int[] {1, 2, 32}) {
                char[] chars = token.toCharArray();
                chars[i] = (char) (chars[i] ^ bit);
                String flipped = new String(chars);
                if (cold.verify(flipped).status() == VerificationStatus.VALID) {
                    accepted.add(i + "^" + bit);
                }
            }
        }
        assertThat(accepted).isEmpty();
        int sig = token.lastIndexOf('.') + 1;
        char[] chars = token.toCharArray();
        chars[sig + 5] = chars[sig + 5] == 'A' ? 'B' : 'A';
        assertThat(cold.verify(new String(chars)).status()).isEqualTo(VerificationStatus.INVALID_SIGNATURE);
        String payloadFlip = token.substring(0, token.indexOf('.') + 3) + (token.charAt(token.indexOf('.') + 3) == 'x' ? 'y' : 'x')
                + token.substring(token.indexOf('.') + 4);
        assertThat(cold.verify(payloadFlip).status()).isEqualTo(VerificationStatus.INVALID_SIGNATURE);
    }

    @Test
    void aTokenInTheFormerHandWrittenFormatStillVerifiesAndNewTokensKeepItsBytes() throws Exception {
        // how certificates were signed before jose4j: canonical header, canonical payload, JCA P1363 signature
        String header = B64.encodeToString(("{\"alg\":\"ES256\",\"kid\":\"" + jwk.kid() + "\",\"typ\":\"kz-ehr-cert+jws\"}")
                .getBytes(StandardCharsets.UTF_8));
        String input = header + "." + B64.encodeToString(CertificateJws.canonical(claims("F083-OLD", NOW.plusSeconds(86400))));
        java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(ours.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        String former = input + "." + B64.encodeToString(s.sign());
        assertThat(verifier.verify(former).status()).isEqualTo(VerificationStatus.VALID);
        // the library writes the same header and payload bytes (only the ECDSA signature is randomised)
        String fresh = CertificateJws.sign(claims("F083-OLD", NOW.plusSeconds(86400)), jwk.kid(), ours.getPrivate());
        assertThat(fresh.substring(0, fresh.lastIndexOf('.'))).isEqualTo(input);
    }

    @Test
    void aRevocationListSignedByOurKeyIsNotACertificate() {
        String list = CertificateJws.sign(claims("F083-1", NOW.plusSeconds(86400)), CertificateJws.REVOCATIONS_TYPE, jwk.kid(), ours.getPrivate());
        assertThat(verifier.verify(list).status()).isEqualTo(VerificationStatus.MALFORMED);
    }

    @Test
    void algNoneIsRefused() {
        String header = B64.encodeToString(("{\"alg\":\"none\",\"kid\":\"" + jwk.kid() + "\"}").getBytes(StandardCharsets.UTF_8));
        String payload = B64.encodeToString(CertificateJws.canonical(claims("F083-9", NOW.plusSeconds(86400))));
        assertThat(verifier.verify(header + "." + payload + ".").status()).isEqualTo(VerificationStatus.INVALID_SIGNATURE);
        assertThat(verifier.verify(header + "." + payload).status()).isEqualTo(VerificationStatus.MALFORMED);
    }

    @Test
    void hs256WithThePublicKeyAsSecretIsRefused() throws Exception {
        String header = B64.encodeToString(("{\"alg\":\"HS256\",\"kid\":\"" + jwk.kid() + "\"}").getBytes(StandardCharsets.UTF_8));
        String payload = B64.encodeToString(CertificateJws.canonical(claims("F083-9", NOW.plusSeconds(86400))));
        for (byte[] secret : List.of(ours.getPublic().getEncoded(),
                CertificateJws.canonical(jwk.toJson(null)))) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String sig = B64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
            assertThat(verifier.verify(header + "." + payload + "." + sig).status()).isEqualTo(VerificationStatus.INVALID_SIGNATURE);
        }
    }

    @Test
    void aTokenSignedByAnUnknownKeyIsUnknownKey() throws Exception {
        KeyPair stranger = newKey();
        EcJwk strangerJwk = EcJwk.of((ECPublicKey) stranger.getPublic());
        String token = CertificateJws.sign(claims("F083-1", NOW.plusSeconds(86400)), strangerJwk.kid(), stranger.getPrivate());
        assertThat(verifier.verify(token).status()).isEqualTo(VerificationStatus.UNKNOWN_KEY);
    }

    @Test
    void aTokenSignedByAnotherKeyUnderOurKidIsAnInvalidSignature() throws Exception {
        String token = CertificateJws.sign(claims("F083-1", NOW.plusSeconds(86400)), jwk.kid(), newKey().getPrivate());
        assertThat(verifier.verify(token).status()).isEqualTo(VerificationStatus.INVALID_SIGNATURE);
    }

    @Test
    void anExpiredCertificateIsExpiredEvenWhenItsSignatureWasCachedWhileValid() {
        String token = CertificateJws.sign(claims("F083-2", NOW.plusSeconds(60)), jwk.kid(), ours.getPrivate());
        assertThat(verifier.verify(token).status()).isEqualTo(VerificationStatus.VALID);
        String expired = CertificateJws.sign(claims("F083-3", NOW), jwk.kid(), ours.getPrivate());
        assertThat(verifier.verify(expired).status()).isEqualTo(VerificationStatus.EXPIRED);
        TokenVerifier later = new TokenVerifier(kid -> jwk, TokenVerifier.RevocationLookup.NONE,
                Clock.fixed(NOW.plusSeconds(61), ZoneOffset.UTC), 10);
        assertThat(later.verify(token).status()).isEqualTo(VerificationStatus.EXPIRED);
    }

    @Test
    void aReplayedRevokedCertificateIsRevokedWithTheTimeOfRevocation() {
        String token = CertificateJws.sign(claims("F083-REVOKED", NOW.plusSeconds(86400)), jwk.kid(), ours.getPrivate());
        for (int replay = 0; replay < 3; replay++) {
            VerificationResult r = verifier.verify(token);
            assertThat(r.status()).isEqualTo(VerificationStatus.REVOKED);
            assertThat(r.revokedAt()).isEqualTo(REVOKED_AT);
            assertThat(r.detail()).isEqualTo("revoked");
        }
        assertThat(verifier.verify(valid()).revokedAt()).isNull();
    }

    @ParameterizedTest(name = "\"{0}\" is malformed")
    @CsvSource({"hello", "a.b", "a.b.c.d", "KZC1:!!!", "KZC1:AB", "e30.e30.e30", "'  '"})
    void garbageIsMalformed(String token) {
        assertThat(verifier.verify(token).status()).isEqualTo(VerificationStatus.MALFORMED);
    }

    @Test
    void theJwksRoundTripsAndAKidThatIsNotTheThumbprintIsSkipped() throws Exception {
        Map<String, Object> good = jwk.toJson("current");
        Map<String, Object> lying = new LinkedHashMap<>(EcJwk.of((ECPublicKey) newKey().getPublic()).toJson("current"));
        lying.put("kid", jwk.kid());
        String json = CertificateJws.JSON.writeValueAsString(Map.of("keys", List.of(lying, good)));
        Map<String, EcJwk> keys = Jwks.parse(json);
        assertThat(keys).containsOnlyKeys(jwk.kid());
        assertThat(keys.get(jwk.kid()).publicKey()).isEqualTo(ours.getPublic());
        assertThat(jwk.kid()).hasSize(43).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void theCliVerifiesOfflineWithTheJwksAndARevocationList(@TempDir Path dir) throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, jwksJson(NOW, List.of(jwk.toJson("current")), List.of()));
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("kid", jwk.kid());
        list.put("generatedAt", NOW.minusSeconds(60).toString());
        list.put("revoked", List.of(Map.of("no", "F083-7", "revokedAt", REVOKED_AT.toString())));
        Map<String, Object> signedList = new LinkedHashMap<>(list);
        signedList.put("jws", CertificateJws.sign(list, CertificateJws.REVOCATIONS_TYPE, jwk.kid(), ours.getPrivate()));
        Path revocations = dir.resolve("revocations.json");
        Files.writeString(revocations, CertificateJws.JSON.writeValueAsString(Map.of("lists", List.of(signedList))));
        // a mirror that drops an entry from the signed list is caught: only the signed part is believed
        Map<String, Object> trimmed = new LinkedHashMap<>(list);
        trimmed.put("revoked", List.of());
        String forgedJws = CertificateJws.sign(trimmed, CertificateJws.REVOCATIONS_TYPE, jwk.kid(), newKey().getPrivate());
        Path forged = dir.resolve("forged.json");
        Files.writeString(forged, CertificateJws.JSON.writeValueAsString(Map.of("lists", List.of(Map.of("kid", jwk.kid(),
                "revoked", List.of(), "jws", forgedJws)))));
        Path unsigned = dir.resolve("unsigned.json");
        Files.writeString(unsigned, CertificateJws.JSON.writeValueAsString(Map.of("lists", List.of(list))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = VerifyCli.run(new String[] {"--jwks", jwks.toString(), "--token", QrPayload.encode(valid())}, new PrintStream(out, true, StandardCharsets.UTF_8), CLOCK);
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"VALID\"").contains("F083-1");

        String revoked = CertificateJws.sign(claims("F083-7", NOW.plusSeconds(86400)), jwk.kid(), ours.getPrivate());
        out.reset();
        code = VerifyCli.run(new String[] {"--jwks", jwks.toString(), "--revocations", revocations.toString(), "--token", revoked},
                new PrintStream(out, true, StandardCharsets.UTF_8), CLOCK);
        assertThat(code).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"REVOKED\"", "\"revokedAt\" : \"" + REVOKED_AT + "\"")
                .doesNotContainIgnoringCase("reason");

        // a list of the former form (each entry with its reason) still reads, and the reason is not printed
        Map<String, Object> former = new LinkedHashMap<>(list);
        former.put("revoked", List.of(Map.of("no", "F083-7", "revokedAt", REVOKED_AT.toString(), "reason", "PATIENT_DECEASED")));
        Map<String, Object> signedFormer = new LinkedHashMap<>(former);
        signedFormer.put("jws", CertificateJws.sign(former, CertificateJws.REVOCATIONS_TYPE, jwk.kid(), ours.getPrivate()));
        Path formerFile = Files.writeString(dir.resolve("former.json"),
                CertificateJws.JSON.writeValueAsString(Map.of("lists", List.of(signedFormer))));
        out.reset();
        code = VerifyCli.run(new String[] {"--jwks", jwks.toString(), "--revocations", formerFile.toString(), "--token", revoked},
                new PrintStream(out, true, StandardCharsets.UTF_8), CLOCK);
        assertThat(code).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"REVOKED\"").doesNotContain("PATIENT_DECEASED");

        // a signed entry without a time of revocation makes the list unreadable rather than silently not revoked
        Map<String, Object> timeless = new LinkedHashMap<>(list);
        timeless.put("revoked", List.of(Map.of("no", "F083-7")));
        Map<String, Object> signedTimeless = new LinkedHashMap<>(timeless);
        signedTimeless.put("jws", CertificateJws.sign(timeless, CertificateJws.REVOCATIONS_TYPE, jwk.kid(), ours.getPrivate()));
        Path timelessFile = Files.writeString(dir.resolve("timeless.json"),
                CertificateJws.JSON.writeValueAsString(Map.of("lists", List.of(signedTimeless))));
        for (Path bad : List.of(forged, unsigned, timelessFile)) {
            assertThat(VerifyCli.run(new String[] {"--jwks", jwks.toString(), "--revocations", bad.toString(), "--token", revoked},
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), CLOCK)).isEqualTo(2);
        }
    }

    @Test
    void theCliChecksAsOfTheInstantGivenWithNowAndRefusesOneItCannotRead(@TempDir Path dir) throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, jwksJson(NOW, List.of(jwk.toJson("current")), List.of()));
        String token = valid();
        Clock aYearLater = Clock.offset(CLOCK, java.time.Duration.ofDays(365));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        // a year on, the certificate has expired ...
        // (the JWKS is as old as the certificate here, so the maximum age of the JWKS is lifted for this check)
        assertThat(VerifyCli.run(new String[] {"--jwks", jwks.toString(), "--max-age", "P400D", "--token", token}, print, aYearLater)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"EXPIRED\"");
        // ... but it was valid on the day it was shown, and --now asks exactly that
        out.reset();
        assertThat(VerifyCli.run(new String[] {"--jwks", jwks.toString(), "--now", NOW.toString(), "--token", token}, print,
                aYearLater)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"VALID\"");
        assertThat(VerifyCli.run(new String[] {"--jwks", jwks.toString(), "--now", "yesterday", "--token", token}, print,
                CLOCK)).isEqualTo(2);
        assertThat(VerifyCli.run(new String[] {"--jwks", jwks.toString(), "--token", token, "--now"}, print, CLOCK)).isEqualTo(2);
    }

    static String jwksJson(Instant generatedAt, List<Map<String, Object>> keys, List<Map<String, Object>> withdrawn) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("generatedAt", generatedAt.toString());
        doc.put("keys", keys);
        doc.put("withdrawn", withdrawn);
        return CertificateJws.JSON.writeValueAsString(doc);
    }

    @Test
    void aRetiredKeyVerifiesOnlyWhatItSignedBeforeItsRetirementAndAWithdrawnKeyNothing() {
        Instant retiredAt = NOW.minusSeconds(1800);
        Map<String, KeyLifecycle> lifecycles = new java.util.HashMap<>(Map.of(jwk.kid(), new KeyLifecycle(retiredAt, null)));
        TokenVerifier v = new TokenVerifier(kid -> kid.equals(jwk.kid()) ? jwk : null,
                kid -> lifecycles.getOrDefault(kid, KeyLifecycle.CURRENT), TokenVerifier.RevocationLookup.NONE, CLOCK, 10);
        Map<String, Object> before = claims("F083-B", NOW.plusSeconds(86400));
        before.put("iat", retiredAt.minusSeconds(1).getEpochSecond());
        Map<String, Object> after = claims("F083-A", NOW.plusSeconds(86400));
        after.put("iat", retiredAt.getEpochSecond());
        Map<String, Object> timeless = claims("F083-T", NOW.plusSeconds(86400));
        timeless.remove("iat");
        String beforeToken = CertificateJws.sign(before, jwk.kid(), ours.getPrivate());
        assertThat(v.verify(beforeToken).status()).isEqualTo(VerificationStatus.VALID);
        assertThat(v.verify(CertificateJws.sign(after, jwk.kid(), ours.getPrivate())).status()).isEqualTo(VerificationStatus.KEY_RETIRED);
        assertThat(v.verify(CertificateJws.sign(timeless, jwk.kid(), ours.getPrivate())).status()).isEqualTo(VerificationStatus.KEY_RETIRED);
        // withdrawn later: the cached signature of a once valid certificate no longer helps it
        lifecycles.put(jwk.kid(), new KeyLifecycle(retiredAt, NOW));
        assertThat(v.verify(beforeToken).status()).isEqualTo(VerificationStatus.KEY_WITHDRAWN);
        assertThat(v.verify(beforeToken).claims()).isNull();
        // a withdrawn key has left the key set: its tokens are still KEY_WITHDRAWN, not merely UNKNOWN_KEY
        TokenVerifier withoutKey = new TokenVerifier(kid -> null, kid -> lifecycles.getOrDefault(kid, KeyLifecycle.CURRENT),
                TokenVerifier.RevocationLookup.NONE, CLOCK, 0);
        assertThat(withoutKey.verify(QrPayload.encode(beforeToken)).status()).isEqualTo(VerificationStatus.KEY_WITHDRAWN);
    }

    @Test
    void aStaleRevocationStateNeverSaysValidButStillSaysRevoked() {
        TokenVerifier.RevocationLookup stale = new TokenVerifier.RevocationLookup() {
            public Optional<Instant> revokedAt(String kid, String no) {
                return "F083-REVOKED".equals(no) ? Optional.of(REVOKED_AT) : Optional.empty();
            }

            public boolean upToDate() {
                return false;
            }
        };
        TokenVerifier v = new TokenVerifier(kid -> jwk, stale, CLOCK, 10);
        VerificationResult r = v.verify(valid());
        assertThat(r.status()).isEqualTo(VerificationStatus.CANNOT_CONFIRM);
        assertThat(r.claims()).isNull();
        assertThat(v.verify(CertificateJws.sign(claims("F083-REVOKED", NOW.plusSeconds(86400)), jwk.kid(), ours.getPrivate())).status())
                .isEqualTo(VerificationStatus.REVOKED);
        assertThat(v.verify(CertificateJws.sign(claims("F083-3", NOW), jwk.kid(), ours.getPrivate())).status())
                .isEqualTo(VerificationStatus.EXPIRED);
    }

    @Test
    void theCliRefusesAJwksOrRevocationListOlderThanTheMaximumAgeAndKnowsWithdrawnKeys(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        String token = valid();
        Path fresh = Files.writeString(dir.resolve("fresh.json"), jwksJson(NOW.minusSeconds(3600), List.of(jwk.toJson("current")), List.of()));
        Path old = Files.writeString(dir.resolve("old.json"), jwksJson(NOW.minus(java.time.Duration.ofHours(25)), List.of(jwk.toJson("current")), List.of()));
        Path former = Files.writeString(dir.resolve("former.json"), CertificateJws.JSON.writeValueAsString(Map.of("keys", List.of(jwk.toJson("current")))));
        assertThat(VerifyCli.run(new String[] {"--jwks", fresh.toString(), "--token", token}, quiet, CLOCK)).isZero();
        // the default maximum age is 24 h; a JWKS of unknown age (the former form) is refused too
        assertThat(VerifyCli.run(new String[] {"--jwks", old.toString(), "--token", token}, quiet, CLOCK)).isEqualTo(2);
        assertThat(VerifyCli.run(new String[] {"--jwks", former.toString(), "--token", token}, quiet, CLOCK)).isEqualTo(2);
        assertThat(VerifyCli.run(new String[] {"--jwks", old.toString(), "--max-age", "PT26H", "--token", token}, quiet, CLOCK)).isZero();
        assertThat(VerifyCli.run(new String[] {"--jwks", fresh.toString(), "--max-age", "PT30M", "--token", token}, quiet, CLOCK)).isEqualTo(2);
        assertThat(VerifyCli.run(new String[] {"--jwks", fresh.toString(), "--max-age", "a day", "--token", token}, quiet, CLOCK)).isEqualTo(2);

        Map<String, Object> list = new LinkedHashMap<>();
        list.put("kid", jwk.kid());
        list.put("generatedAt", NOW.minus(java.time.Duration.ofHours(30)).toString());
        list.put("revoked", List.of());
        Map<String, Object> signed = new LinkedHashMap<>(list);
        signed.put("jws", CertificateJws.sign(list, CertificateJws.REVOCATIONS_TYPE, jwk.kid(), ours.getPrivate()));
        Path oldList = Files.writeString(dir.resolve("old-list.json"), CertificateJws.JSON.writeValueAsString(Map.of("lists", List.of(signed))));
        // the list's age is the signed one: a mirror cannot make an old list look fresh
        Map<String, Object> relabelled = new LinkedHashMap<>(signed);
        relabelled.put("generatedAt", NOW.toString());
        Path relabelledList = Files.writeString(dir.resolve("relabelled.json"), CertificateJws.JSON.writeValueAsString(Map.of("lists", List.of(relabelled))));
        for (Path stale : List.of(oldList, relabelledList)) {
            assertThat(VerifyCli.run(new String[] {"--jwks", fresh.toString(), "--revocations", stale.toString(), "--token", token}, quiet, CLOCK))
                    .isEqualTo(2);
        }

        Path withdrawn = Files.writeString(dir.resolve("withdrawn.json"), jwksJson(NOW, List.of(),
                List.of(Map.of("kid", jwk.kid(), "withdrawnAt", NOW.minusSeconds(60).toString()))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(VerifyCli.run(new String[] {"--jwks", withdrawn.toString(), "--token", token}, new PrintStream(out, true, StandardCharsets.UTF_8), CLOCK))
                .isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"KEY_WITHDRAWN\"");
    }

    @ParameterizedTest(name = "base45 \"{0}\" = {1}")
    @CsvSource(delimiter = '|', value = {"AB|BB8", "Hello!!|%69 VD92EX0", "base-45|UJCLQE7W581", "ietf!|QED8WEX0"})
    void base45MatchesRfc9285(String text, String encoded) {
        assertThat(Base45.encode(text.getBytes(StandardCharsets.US_ASCII))).isEqualTo(encoded);
        assertThat(new String(Base45.decode(encoded), StandardCharsets.US_ASCII)).isEqualTo(text);
    }
}
