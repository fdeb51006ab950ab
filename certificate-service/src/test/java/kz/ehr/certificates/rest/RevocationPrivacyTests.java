package kz.ehr.certificates.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import kz.ehr.certificates.Records;
import kz.ehr.certificates.verifier.VerifyCli;
import kz.ehr.events.SourceRef;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/**
 * Anyone once shown a certificate can verify it later: an employer must not learn that way of a psychiatric,
 * narcological or TB registration, a death or an identity repair. Each reason is driven through the real revocation
 * path (events on the broker, or a reviewer's decision through the API), then every public answer about the certificate is read: verification by token and by
 * QR text, both revocation lists with their signed parts decoded, the JWKS and the offline verifier's output. None
 * names a reason; staff read it through the audited endpoint.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class RevocationPrivacyTests {
    static final List<String> REASON_CODES = List.of("REGISTERED_PSYCHIATRIC", "REGISTERED_NARCOLOGICAL", "REGISTERED_TB",
            "PATIENT_DECEASED", "IDENTITY_CHANGED", "ISSUED_IN_ERROR", "WRONG_PERSON", "EVIDENCE_WITHDRAWN", "DOCUMENT_COMPROMISED",
            "HOLDER_REQUEST");
    /** Words that would give a reason away, matched in every field name and every readable value. */
    static final Pattern REASON_WORDS = Pattern.compile(
            "(?i)reason|psychiat|narcolog|tubercul|\\btb\\b|deceas|death|dead|died|regist|dispensary|identity|merge");
    /** Keys, signatures, kids: random base64url, where a short word turns up by chance; reason codes are still looked for. */
    static final Pattern BLOB = Pattern.compile("[A-Za-z0-9_-]{20,}");
    /** A certificate number names no type: it stands alone in the public lists (see CertificateIssuer.newNumber). */
    static final Pattern NUMBER = Pattern.compile("KZC-\\d{8}-[0-9A-Z]{10}");
    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "a {1} revoked for {0} shows no reason in any public answer; staff read it, audited")
    @CsvSource({
            "REGISTERED_PSYCHIATRIC, PSYCHIATRIC_CLEARANCE",
            "REGISTERED_NARCOLOGICAL, NARCOLOGICAL_CLEARANCE",
            "REGISTERED_TB, TB_CLEARANCE",
            "PATIENT_DECEASED, TB_CLEARANCE",
            "IDENTITY_CHANGED, PSYCHIATRIC_CLEARANCE",
            "WRONG_PERSON, TB_CLEARANCE",
            "DOCUMENT_COMPROMISED, PSYCHIATRIC_CLEARANCE"})
    void aRevokedCertificateShowsNoReasonInAnyPublicAnswerAndStaffReadItAudited(String reason, String type) throws Exception {
        String iin = Records.newIin();
        Records.patient(iin);
        Records.fluorography(iin, Records.today().minusMonths(1));
        Response issued = CertificateLifecycleTests.issueWhenEligible(iin, type);
        String number = issued.jsonPath().getString("number");
        String token = issued.jsonPath().getString("token");
        JsonNode claims = JSON.readTree(CertificateLifecycleTests.verify(token).asString()).get("certificate");

        revoke(iin, number, reason);
        CertificateLifecycleTests.awaitStatus(token, "REVOKED");

        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("verification by token", CertificateLifecycleTests.verify(token).asString());
        answers.put("verification by QR text", CertificateLifecycleTests.verify(issued.jsonPath().getString("qr")).asString());
        String kid = JSON.readTree(answers.get("verification by token")).get("kid").asText();
        answers.put("revocation lists", given().when().get("/api/v1/revocations").then().statusCode(200).extract().asString());
        answers.put("revocation list of the key", given().when().get("/api/v1/revocations/" + kid).then().statusCode(200).extract().asString());
        answers.put("JWKS", given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().asString());
        answers.put("offline verifier", offlineVerifier(answers.get("JWKS"), answers.get("revocation lists"), token));

        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, String> a : answers.entrySet()) {
            for (String code : REASON_CODES) {
                if (a.getValue().contains(code)) {
                    leaks.add(a.getKey() + ": reason code " + code);
                }
            }
            scan(JSON.readTree(a.getValue()), a.getKey(), claims, leaks);
        }
        assertThat(leaks).as("reasons in public answers").isEmpty();

        // what the public answers do say: REVOKED and when, in exactly these members
        for (String how : List.of("verification by token", "verification by QR text", "offline verifier")) {
            JsonNode v = JSON.readTree(answers.get(how));
            assertThat(names(v)).as(how).containsExactlyInAnyOrder("status", "kid", "detail", "revokedAt", "certificate");
            assertThat(v.get("status").asText()).as(how).isEqualTo("REVOKED");
        }
        String revokedAt = JSON.readTree(answers.get("verification by token")).get("revokedAt").asText();
        assertThat(Instant.parse(revokedAt)).isAfterOrEqualTo(Instant.parse(issued.jsonPath().getString("issuedAt")));
        JsonNode list = JSON.readTree(answers.get("revocation list of the key"));
        assertThat(names(list)).containsExactlyInAnyOrder("kid", "generatedAt", "revoked", "jws");
        for (JsonNode entries : List.of(list.get("revoked"), decodedPayload(list.get("jws").asText()).get("revoked"))) {
            JsonNode entry = find(entries, number);
            assertThat(entry).as("the list names " + number).isNotNull();
            assertThat(names(entry)).containsExactlyInAnyOrder("no", "revokedAt");
            assertThat(entry.get("revokedAt").asText()).isEqualTo(revokedAt);
        }

        // staff: the reason, with a purpose, and the read is in the audit log
        given().auth().oauth2(TestTokens.of("dr-aliya", Roles.CLINICIAN)).when()
                .get("/api/v1/certificates/" + number + "/revocation").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("PURPOSE_REQUIRED")).body("field", equalTo("X-Purpose"));
        JsonPath staff = given().auth().oauth2(TestTokens.of("marat", Roles.AUDITOR)).header(Caller.PURPOSE_HEADER, "complaint 7")
                .when().get("/api/v1/certificates/" + number + "/revocation").then().statusCode(200).extract().jsonPath();
        assertThat(Map.of("number", staff.getString("number"), "status", staff.getString("status"),
                "reason", staff.getString("reason"), "revokedAt", staff.getString("revokedAt")))
                .isEqualTo(Map.of("number", number, "status", "REVOKED", "reason", reason, "revokedAt", revokedAt));
        List<Map<String, Object>> audited = given().auth().oauth2(TestTokens.of("aliya-audit", Roles.AUDITOR))
                .queryParam("patient", iin).queryParam("action", "READ_REVOCATION").when().get("/api/v1/audit")
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(audited).singleElement().satisfies(row -> assertThat(Map.of("who", row.get("who"),
                "certificateNumber", row.get("certificateNumber"), "purpose", row.get("purpose")))
                .isEqualTo(Map.of("who", "marat", "certificateNumber", number, "purpose", "complaint 7")));
    }

    /** Sends the event that revokes with {@code reason}, as the platform would, or a reviewer revokes by hand. */
    static void revoke(String iin, String number, String reason) {
        switch (reason) {
            case "REGISTERED_PSYCHIATRIC" -> Records.dispensary(iin, "PSYCHIATRIC", "REGISTERED", Records.today());
            case "REGISTERED_NARCOLOGICAL" -> Records.dispensary(iin, "NARCOLOGICAL", "REGISTERED", Records.today());
            case "REGISTERED_TB" -> Records.dispensary(iin, "TB", "REGISTERED", Records.today());
            case "PATIENT_DECEASED" -> Records.death(iin, Records.today());
            case "IDENTITY_CHANGED" -> Records.merged("E-" + iin, iin, List.of(new SourceRef("damumed", "P-" + iin, iin)));
            case "WRONG_PERSON", "DOCUMENT_COMPROMISED" -> ManualRevocationTests.revokeByHand(number, reason);
            default -> throw new IllegalArgumentException(reason);
        }
    }

    static String offlineVerifier(String jwks, String lists, String token) throws Exception {
        Path dir = Files.createTempDirectory("revocation-privacy");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifyCli.run(new String[] {"--jwks", Files.writeString(dir.resolve("jwks.json"), jwks).toString(),
                "--revocations", Files.writeString(dir.resolve("revocations.json"), lists).toString(), "--token", token},
                new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC()); // the service signed by the system clock
        assertThat(exit).as("offline verifier exit code for a revoked certificate").isEqualTo(1);
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Looks through every member name and value for a reason word. The certificate's own claims are skipped once shown
     * to be exactly those of the VALID answer before the revocation (the holder showed them; nothing was added), and
     * certificate numbers once shown to be numbers; signed parts ({@code jws}) are decoded and looked through too.
     */
    static void scan(JsonNode node, String where, JsonNode validClaims, List<String> leaks) throws Exception {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String at = where + "." + f.getKey();
                if (REASON_WORDS.matcher(f.getKey()).find()) {
                    leaks.add(at + ": member name");
                }
                if (f.getKey().equals("certificate")) {
                    if (!f.getValue().equals(validClaims)) {
                        leaks.add(at + ": not the claims of the valid certificate");
                    }
                } else if (f.getKey().equals("no")) {
                    if (!NUMBER.matcher(f.getValue().asText()).matches() || REASON_WORDS.matcher(f.getValue().asText()).find()) {
                        leaks.add(at + ": not a certificate number: " + f.getValue());
                    }
                } else if (f.getKey().equals("jws")) {
                    String[] parts = f.getValue().asText().split("\\.");
                    scan(JSON.readTree(Base64.getUrlDecoder().decode(parts[0])), at + "(header)", validClaims, leaks);
                    JsonNode payload = decodedPayload(f.getValue().asText());
                    for (String code : REASON_CODES) {
                        if (payload.toString().contains(code)) {
                            leaks.add(at + "(payload): reason code " + code);
                        }
                    }
                    scan(payload, at + "(payload)", validClaims, leaks);
                } else {
                    scan(f.getValue(), at, validClaims, leaks);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                scan(node.get(i), where + "[" + i + "]", validClaims, leaks);
            }
        } else if (node.isTextual() && !BLOB.matcher(node.asText()).matches() && REASON_WORDS.matcher(node.asText()).find()) {
            leaks.add(where + ": \"" + node.asText() + "\"");
        }
    }

    static JsonNode decodedPayload(String jws) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jws.split("\\.")[1]));
    }

    static JsonNode find(JsonNode entries, String number) {
        for (JsonNode e : entries) {
            if (number.equals(e.path("no").asText())) {
                return e;
            }
        }
        return null;
    }

    static Set<String> names(JsonNode object) {
        Set<String> names = new java.util.TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
