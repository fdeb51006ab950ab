package kz.ehr.certificates.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import kz.ehr.testsupport.LoopbackHttpClient;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/**
 * The public verification endpoint's limits (test profile: 20/s, burst 40 per client). Clients are told apart by
 * their address, so each test client connects from its own loopback address (127.0.0.0/8 is all loopback on Linux),
 * which also keeps the other test classes' budget (they call from 127.0.0.1) untouched.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_test"))
class VerificationLimitsTests {
    static final String BODY = "{\"token\":\"not a token\"}";

    @Test
    void aBurstOverTheLimitGets429WithRetryAfterWhileAnotherClientAndAQuietClientAreServed() throws IOException {
        try (LoopbackHttpClient flooder = new LoopbackHttpClient(RestAssured.port, "127.0.0.21"); LoopbackHttpClient other = new LoopbackHttpClient(RestAssured.port, "127.0.0.22");
             LoopbackHttpClient quiet = new LoopbackHttpClient(RestAssured.port, "127.0.0.23")) {
            // 40 at once are allowed, then 20/s: 200 requests in under 8 s must run into the limit
            List<LoopbackHttpClient.Answer> answers = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                answers.add(flooder.post("/api/v1/verifications", BODY, Map.of()));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long served = answers.stream().filter(a -> a.status() == 200).count();
            List<LoopbackHttpClient.Answer> limited = answers.stream().filter(a -> a.status() == 429).toList();
            System.out.printf("RATE_LIMIT sent=200 in %.2f s served=%d limited=%d other=%d%n", seconds, served, limited.size(),
                    200 - served - limited.size());
            assertThat(seconds).as("the burst must be faster than the refill for this test to mean anything").isLessThan(8);
            assertThat(served + limited.size()).isEqualTo(200);
            assertThat(served).isGreaterThanOrEqualTo(40).isLessThan(200);
            assertThat(answers.subList(0, 40)).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
            LoopbackHttpClient.Answer first = limited.get(0);
            assertThat(first.headers().get("retry-after")).isNotNull();
            assertThat(Long.parseLong(first.headers().get("retry-after"))).isBetween(1L, 60L);
            assertThat(first.headers().get("content-type")).startsWith("application/problem+json");
            assertThat(first.body()).contains("\"code\":\"RATE_LIMITED\"").contains("\"status\":429");

            // a forwarded-for header does not make the flooder somebody else: were it believed, each of these
            // addresses would have a fresh burst of 40 and every request would be served
            long spoofedLimited = 0;
            for (int i = 0; i < 60; i++) {
                String fake = "10.9.9." + i;
                spoofedLimited += flooder.post("/api/v1/verifications", BODY, Map.of("X-Forwarded-For", fake, "Forwarded", "for=" + fake))
                        .status() == 429 ? 1 : 0;
            }
            assertThat(spoofedLimited).isGreaterThan(0);
            // the signed revocation lists cost a signature per download: the same budget covers them. Right after a
            // verification was refused the bucket holds less than one token, so a list asked for then is refused too
            // (unless 50 ms passed in between: a few tries, each right after a refusal, so the speed of the steps
            // above cannot decide it; were lists outside the budget, every one would be served)
            List<Integer> lists = new ArrayList<>();
            for (int attempt = 0; attempt < 10 && !lists.contains(429); attempt++) {
                int drained = 0;
                while (drained < 1_000 && flooder.post("/api/v1/verifications", BODY, Map.of()).status() != 429) {
                    drained++; // what refilled since
                }
                lists.add(flooder.request("GET", "/api/v1/revocations", null, Map.of()).status());
            }
            assertThat(lists).contains(429);

            // another client is unaffected, and a client under the limit is never refused
            assertThat(other.post("/api/v1/verifications", BODY, Map.of()).status()).isEqualTo(200);
            for (int i = 0; i < 30; i++) {
                assertThat(quiet.post("/api/v1/verifications", BODY, Map.of()).status()).as("request %d of a quiet client", i).isEqualTo(200);
            }
        }
    }

    @Test
    void aBodyOverTheSizeLimitGets413BeforeAnyWork() throws IOException {
        String huge = "{\"token\":\"" + "A".repeat(20_000) + "\"}";
        try (LoopbackHttpClient client = new LoopbackHttpClient(RestAssured.port, "127.0.0.24")) {
            LoopbackHttpClient.Answer a = client.post("/api/v1/verifications", huge, Map.of());
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.body()).contains("\"code\":\"BODY_TOO_LARGE\"");
        }
        // a real token of the biggest kind is far below the limit; an ordinary request is untouched
        given().contentType("application/json").body(BODY).when().post("/api/v1/verifications").then().statusCode(200)
                .body("status", equalTo("MALFORMED"));
    }
}
