package kz.ehr.simulator.importer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code POST /api/v1/records} as a provider's MIS sends it: NDJSON with the provider's key over HTTP/1.1 keep-alive
 * connections (the client pools them). A 503/429 is waited out for its Retry-After and a refused or broken connection
 * (ingestion restarting under its supervisor) with backoff up to 30 s, both until {@code retryFor} has passed for the
 * batch: resending is always safe (ingestion dedupes by provider + recordId + content). Any other answer stops the
 * import with what ingestion said.
 */
final class IngestionClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final Duration retryFor;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    IngestionClient(String baseUrl, Duration retryFor) {
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/api/v1/records");
        this.retryFor = retryFor;
    }

    URI endpoint() {
        return endpoint;
    }

    BatchAnswer send(String provider, String key, byte[] body, int records) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/x-ndjson").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long deadline = System.nanoTime() + retryFor.toNanos();
        long backoffMillis = 1000;
        for (;;) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException unreachable) {
                if (System.nanoTime() + backoffMillis * 1_000_000 > deadline) {
                    throw new ImportException("ingestion at " + endpoint + " unreachable for " + retryFor.toSeconds() + " s ("
                            + unreachable + "); run the same command again when it is back: the import carries on from its checkpoint");
                }
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(30_000, backoffMillis * 2);
                continue;
            }
            int status = response.statusCode();
            if (status == 200) {
                return BatchAnswer.parse(JSON.readTree(response.body()), records);
            }
            if (status == 503 || status == 429) {
                long wait = Math.max(200, 1000 * response.headers().firstValueAsLong("Retry-After").orElse(1));
                if (System.nanoTime() + wait * 1_000_000 > deadline) {
                    throw new ImportException("ingestion kept answering " + status + " for " + retryFor.toSeconds() + " s: "
                            + brief(response.body()) + "; run the same command again later: the import carries on from its checkpoint");
                }
                Thread.sleep(wait);
                continue;
            }
            throw new ImportException(switch (status) {
                case 401 -> "ingestion refused the key given for provider " + provider + " (401): " + brief(response.body());
                case 413 -> "ingestion refused a batch as too large (413): " + brief(response.body()) + "; use a smaller --batch";
                default -> "POST " + endpoint + " as " + provider + " answered " + status + ": " + brief(response.body());
            });
        }
    }

    private static String brief(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }
}
