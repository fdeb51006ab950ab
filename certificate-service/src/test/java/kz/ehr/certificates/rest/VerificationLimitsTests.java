package kz.ehr.certificates.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
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
        try (RawClient flooder = new RawClient("127.0.0.21"); RawClient other = new RawClient("127.0.0.22");
             RawClient quiet = new RawClient("127.0.0.23")) {
            // 40 at once are allowed, then 20/s: 200 requests in under 8 s must run into the limit
            List<Answer> answers = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                answers.add(flooder.post("/api/v1/verifications", BODY, Map.of()));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long served = answers.stream().filter(a -> a.status == 200).count();
            List<Answer> limited = answers.stream().filter(a -> a.status == 429).toList();
            System.out.printf("RATE_LIMIT sent=200 in %.2f s served=%d limited=%d other=%d%n", seconds, served, limited.size(),
                    200 - served - limited.size());
            assertThat(seconds).as("the burst must be faster than the refill for this test to mean anything").isLessThan(8);
            assertThat(served + limited.size()).isEqualTo(200);
            assertThat(served).isGreaterThanOrEqualTo(40).isLessThan(200);
            assertThat(answers.subList(0, 40)).allSatisfy(a -> assertThat(a.status).isEqualTo(200));
            Answer first = limited.get(0);
            assertThat(first.headers.get("retry-after")).isNotNull();
            assertThat(Long.parseLong(first.headers.get("retry-after"))).isBetween(1L, 60L);
            assertThat(first.headers.get("content-type")).startsWith("application/problem+json");
            assertThat(first.body).contains("\"code\":\"RATE_LIMITED\"").contains("\"status\":429");

            // a forwarded-for header does not make the flooder somebody else: were it believed, each of these
            // addresses would have a fresh burst of 40 and every request would be served
            long spoofedLimited = 0;
            for (int i = 0; i < 60; i++) {
                String fake = "10.9.9." + i;
                spoofedLimited += flooder.post("/api/v1/verifications", BODY, Map.of("X-Forwarded-For", fake, "Forwarded", "for=" + fake))
                        .status == 429 ? 1 : 0;
            }
            assertThat(spoofedLimited).isGreaterThan(0);
            // the signed revocation lists cost a signature per download: the same budget covers them
            List<Integer> lists = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                lists.add(flooder.request("GET", "/api/v1/revocations", null, Map.of()).status);
            }
            assertThat(lists).contains(429);

            // another client is unaffected, and a client under the limit is never refused
            assertThat(other.post("/api/v1/verifications", BODY, Map.of()).status).isEqualTo(200);
            for (int i = 0; i < 30; i++) {
                assertThat(quiet.post("/api/v1/verifications", BODY, Map.of()).status).as("request %d of a quiet client", i).isEqualTo(200);
            }
        }
    }

    @Test
    void aBodyOverTheSizeLimitGets413BeforeAnyWork() throws IOException {
        String huge = "{\"token\":\"" + "A".repeat(20_000) + "\"}";
        try (RawClient client = new RawClient("127.0.0.24")) {
            Answer a = client.post("/api/v1/verifications", huge, Map.of());
            assertThat(a.status).isEqualTo(413);
            assertThat(a.body).contains("\"code\":\"BODY_TOO_LARGE\"");
        }
        // a real token of the biggest kind is far below the limit; an ordinary request is untouched
        given().contentType("application/json").body(BODY).when().post("/api/v1/verifications").then().statusCode(200)
                .body("status", equalTo("MALFORMED"));
    }

    record Answer(int status, Map<String, String> headers, String body) {
    }

    /** HTTP/1.1 over one keep-alive connection from a chosen local address (the JDK's HttpClient cannot bind one). */
    static final class RawClient implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final InputStream in;

        RawClient(String localAddress) throws IOException {
            socket = new Socket(InetAddress.getByName("127.0.0.1"), RestAssured.port, InetAddress.getByName(localAddress), 0);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true); // else Nagle and delayed ACKs make every request take 40 ms
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        Answer post(String path, String json, Map<String, String> extraHeaders) throws IOException {
            return request("POST", path, json, extraHeaders);
        }

        Answer request(String method, String path, String json, Map<String, String> extraHeaders) throws IOException {
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + (json == null ? "" : "Content-Type: application/json\r\n") + "Content-Length: " + body.length + "\r\n");
            extraHeaders.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            whole.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            whole.write(body);
            out.write(whole.toByteArray());
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(), h.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            return new Answer(status, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
