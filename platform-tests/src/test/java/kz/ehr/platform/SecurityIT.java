package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.security.Roles;
import kz.ehr.testsupport.TestPlatform;
import kz.ehr.testsupport.LoopbackHttpClient;
import kz.ehr.testsupport.TestTokens;

/**
 * The security checks of issue #8 against the four packaged services as processes: roles at every service,
 * public verification, the verification rate and size limits, ingestion's size limits, and an audit row written by
 * a read that the API cannot change. Each test prints a {@code SECURITY …} line with what it measured.
 * Limits are lowered for this platform (verification 5/s, burst 10; ingestion 64 KiB / 100 records) so the checks
 * are quick; the mechanism is the one the defaults use.
 */
class SecurityIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int VERIFY_BURST = 10;
    static RunningPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = RunningPlatform.start(TestPlatform.kafkaBootstrapServers(), TestPlatform.kafkaCredentials(), "_sec", TestPlatform::freshDatabase, Map.of(
                "certificate-service", Map.of("ehr.certificates.verification.rate-per-second", "5",
                        "ehr.certificates.verification.burst", String.valueOf(VERIFY_BURST)),
                "ingestion-service", Map.of("ehr.ingestion.max-batch-bytes", "65536", "ehr.ingestion.max-batch-records", "100")));
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void inProductionMetricsNeedAnOpsTokenSwaggerUiIsAbsentAndHealthAndOpenApiStayOpen() throws Exception {
        for (ServiceProcess s : List.of(platform.ingestion(), platform.patientIndex(), platform.certificates(), platform.billing())) {
            Map<String, Integer> got = new LinkedHashMap<>();
            got.put("metrics:none", s.request("GET", "/q/metrics", null, Map.of(), null).statusCode());
            got.put("metrics:clinician", s.request("GET", "/q/metrics", "Bearer " + TestTokens.of("sec", Roles.CLINICIAN), Map.of(), null).statusCode());
            got.put("metrics:ops", s.request("GET", "/q/metrics", "Bearer " + TestTokens.of("prometheus", Roles.OPS), Map.of(), null).statusCode());
            got.put("swagger-ui", s.request("GET", "/q/swagger-ui/", null, Map.of(), null).statusCode());
            got.put("openapi", s.request("GET", "/q/openapi", null, Map.of(), null).statusCode());
            got.put("health", s.request("GET", "/q/health/ready", null, Map.of(), null).statusCode());
            System.out.printf("SECURITY check=prod-endpoints service=%s %s%n", s.name, got);
            assertThat(got).as(s.name).containsEntry("metrics:none", 401).containsEntry("metrics:clinician", 403)
                    .containsEntry("metrics:ops", 200).containsEntry("swagger-ui", 404).containsEntry("openapi", 200)
                    .containsEntry("health", 200);
        }
    }

    /** One staff endpoint per service, the role that may call it and one that may not. */
    record Guarded(ServiceProcess service, String path, String wrongRole, String rightRole) {
    }

    @Test
    void everyServiceRefusesNoTokenAForgedOrExpiredOneAndTheWrongRoleAndServesTheRightRole() throws Exception {
        List<Guarded> endpoints = List.of(
                new Guarded(platform.ingestion(), "/api/v1/providers/stats", Roles.CLINICIAN, Roles.OPS),
                new Guarded(platform.patientIndex(), "/api/v1/patients?iin=850315300019", Roles.AUDITOR, Roles.CLINICIAN),
                new Guarded(platform.certificates(), "/api/v1/audit", Roles.OPS, Roles.AUDITOR),
                new Guarded(platform.billing(), "/api/v1/fraud/flags", Roles.CLINICIAN, Roles.REVIEWER));
        Map<String, String> purpose = Map.of("X-Purpose", "security check");
        for (Guarded g : endpoints) {
            Map<String, Integer> got = new LinkedHashMap<>();
            got.put("none", g.service().request("GET", g.path(), null, purpose, null).statusCode());
            got.put("forged", g.service().request("GET", g.path(), "Bearer " + TestTokens.forged("mallory", Roles.ALL.toArray(String[]::new)),
                    purpose, null).statusCode());
            got.put("expired", g.service().request("GET", g.path(), "Bearer " + TestTokens.expired("olga", Roles.ALL.toArray(String[]::new)),
                    purpose, null).statusCode());
            got.put("wrong:" + g.wrongRole(), g.service().request("GET", g.path(), "Bearer " + TestTokens.of("sec", g.wrongRole()),
                    purpose, null).statusCode());
            HttpResponse<String> right = g.service().request("GET", g.path(), "Bearer " + TestTokens.of("sec", g.rightRole()), purpose, null);
            got.put("right:" + g.rightRole(), right.statusCode());
            System.out.printf("SECURITY check=roles service=%s endpoint=%s %s%n", g.service().name, g.path(), got);
            assertThat(got.values().stream().limit(3)).as("%s %s", g.service().name, got).containsOnly(401);
            assertThat(got.get("wrong:" + g.wrongRole())).as("%s %s", g.service().name, got).isEqualTo(403);
            assertThat(right.statusCode()).as("%s %s: %s", g.service().name, got, right.body()).isEqualTo(200);
        }
    }

    @Test
    void verificationTheJwksAndTheRevocationListsNeedNoToken() throws Exception {
        ServiceProcess certificates = platform.certificates();
        HttpResponse<String> verified = certificates.request("POST", "/api/v1/verifications", null, Map.of(), "{\"token\":\"not a token\"}");
        HttpResponse<String> jwks = certificates.request("GET", "/.well-known/jwks.json", null, Map.of(), null);
        HttpResponse<String> lists = certificates.request("GET", "/api/v1/revocations", null, Map.of(), null);
        System.out.printf("SECURITY check=public verification=%d jwks=%d revocations=%d%n", verified.statusCode(),
                jwks.statusCode(), lists.statusCode());
        assertThat(verified.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(verified.body()).path("status").asText()).isEqualTo("MALFORMED");
        assertThat(jwks.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(jwks.body()).path("keys").size()).isPositive();
        assertThat(lists.statusCode()).isEqualTo(200);
    }

    @Test
    void aVerificationBurstOverTheLimitGets429WithRetryAfterAndIsServedAgainAfterIt() throws Exception {
        String body = "{\"token\":\"not a token\"}";
        try (LoopbackHttpClient flooder = new LoopbackHttpClient(platform.certificates().port, "127.0.0.41");
             LoopbackHttpClient other = new LoopbackHttpClient(platform.certificates().port, "127.0.0.42")) {
            List<Integer> statuses = new ArrayList<>();
            Map<String, String> firstRefusal = null;
            String refusalBody = null;
            long t0 = System.nanoTime();
            for (int i = 0; i < 60; i++) {
                LoopbackHttpClient.Answer a = flooder.post("/api/v1/verifications", body);
                statuses.add(a.status());
                if (a.status() == 429 && firstRefusal == null) {
                    firstRefusal = a.headers();
                    refusalBody = a.body();
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long served = statuses.stream().filter(s -> s == 200).count();
            long limited = statuses.stream().filter(s -> s == 429).count();
            int otherStatus = other.post("/api/v1/verifications", body).status();
            long limitedAt = System.nanoTime();
            platform.await("the flooding client is served again", Duration.ofSeconds(30),
                    () -> flooder.post("/api/v1/verifications", body).status() == 200 ? true : null);
            long recoverMs = (System.nanoTime() - limitedAt) / 1_000_000;
            int oversize = other.post("/api/v1/verifications", "{\"token\":\"" + "A".repeat(20_000) + "\"}").status();
            System.out.printf("SECURITY check=verification-rate-limit sent=60 in_s=%.2f served=%d limited=%d retry_after_s=%s "
                            + "other_client=%d served_again_ms=%d oversize_body=%d%n", seconds, served, limited,
                    firstRefusal == null ? "-" : firstRefusal.get("retry-after"), otherStatus, recoverMs, oversize);
            assertThat(served + limited).isEqualTo(60);
            assertThat(served).isGreaterThanOrEqualTo(VERIFY_BURST).isLessThan(60);
            assertThat(statuses.subList(0, VERIFY_BURST)).containsOnly(200);
            assertThat(firstRefusal).isNotNull();
            assertThat(Long.parseLong(firstRefusal.get("retry-after"))).isPositive();
            assertThat(refusalBody).contains("\"code\":\"RATE_LIMITED\"");
            assertThat(otherStatus).isEqualTo(200);
            assertThat(oversize).isEqualTo(413);
        }
    }

    @Test
    void anIngestionBatchOverTheByteOrRecordLimitGets413AsAProblem() throws Exception {
        SyntheticPeople.Person p = SyntheticPeople.cohort(1).get(0);
        String line = SyntheticPeople.patientRecord(p);
        StringBuilder big = new StringBuilder();
        while (big.length() <= 65536) {
            big.append(line).append('\n');
        }
        HttpResponse<String> tooBig = platform.submit(big.toString());
        HttpResponse<String> tooMany = platform.submit((line + "\n").repeat(101));
        HttpResponse<String> fine = platform.submit((line + "\n").repeat(100));
        System.out.printf("SECURITY check=ingestion-size-limits bytes=%d->%d records=101->%d records=100->%d%n",
                big.length(), tooBig.statusCode(), tooMany.statusCode(), fine.statusCode());
        for (HttpResponse<String> r : List.of(tooBig, tooMany)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(JSON.readTree(r.body()).path("code").asText()).isEqualTo("BATCH_TOO_LARGE");
        }
        assertThat(fine.statusCode()).as(fine.body()).isEqualTo(200);
    }

    @Test
    void aCertificateReadIsAuditedWithTheTokensUserAndNoServiceLetsTheAuditBeChanged() throws Exception {
        SyntheticPeople.Person p = SyntheticPeople.cohort(1).get(0);
        assertThat(platform.submit(SyntheticPeople.patientRecord(p) + "\n").statusCode()).isEqualTo(200);
        ServiceProcess certificates = platform.certificates();
        String clinician = "Bearer " + TestTokens.of("dr-sec", Roles.CLINICIAN);
        Map<String, String> why = Map.of("X-Purpose", "security check");
        JsonNode issued = platform.await("the certificate service can issue for the new person", Duration.ofSeconds(90), () -> {
            HttpResponse<String> r = certificates.request("POST", "/api/v1/certificates", clinician, why,
                    "{\"iin\":\"" + p.iin() + "\",\"type\":\"PSYCHIATRIC_CLEARANCE\"}");
            return r.statusCode() == 201 ? JSON.readTree(r.body()) : null;
        });
        String number = issued.path("number").asText();
        assertThat(certificates.request("GET", "/api/v1/certificates/" + number, clinician, Map.of(), null).statusCode())
                .as("a read without a purpose").isEqualTo(400);
        assertThat(certificates.request("GET", "/api/v1/certificates/" + number, clinician, why, null).statusCode()).isEqualTo(200);

        String auditor = "Bearer " + TestTokens.of("auditor-sec", Roles.AUDITOR);
        JsonNode items = JSON.readTree(certificates.request("GET", "/api/v1/audit?patient=" + p.iin() + "&action=READ", auditor,
                Map.of(), null).body()).path("items");
        assertThat(items.size()).isEqualTo(1);
        assertThat(items.get(0).path("who").asText()).isEqualTo("dr-sec");
        assertThat(items.get(0).path("purpose").asText()).isEqualTo("security check");
        String rowId = items.get(0).path("id").asText();

        Map<String, Map<String, Integer>> changes = new LinkedHashMap<>();
        for (ServiceProcess s : platform.all()) {
            Map<String, Integer> answers = new LinkedHashMap<>();
            for (String method : List.of("PUT", "PATCH", "DELETE")) {
                answers.put(method, s.request(method, "/api/v1/audit", auditor, Map.of(), "{}").statusCode());
            }
            changes.put(s.name, answers);
        }
        int rowPut = certificates.request("PUT", "/api/v1/audit/" + rowId, auditor, Map.of(), "{\"who\":\"nobody\"}").statusCode();
        JsonNode after = JSON.readTree(certificates.request("GET", "/api/v1/audit?patient=" + p.iin() + "&action=READ", auditor,
                Map.of(), null).body()).path("items");
        System.out.printf("SECURITY check=audit-append-only read_audited=%s who=%s changes=%s put_row=%d row_unchanged=%s%n",
                items.size() == 1, items.get(0).path("who").asText(), changes, rowPut,
                after.get(0).path("who").asText().equals("dr-sec"));
        assertThat(changes.values()).allSatisfy(a -> assertThat(a.values()).containsOnly(405));
        assertThat(rowPut).isIn(404, 405);
        assertThat(after.get(0).path("who").asText()).isEqualTo("dr-sec");
    }
}
