package kz.ehr.simulator.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The running platform's REST endpoints the benchmark reads (ports of ARCHITECTURE.md unless overridden). */
final class Platform {
    final String ingestion;
    final String patientIndex;
    final String certificates;
    final String billing;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Platform(String host, int ingestionPort, int patientIndexPort, int certificatesPort, int billingPort) {
        this.ingestion = "http://" + host + ":" + ingestionPort;
        this.patientIndex = "http://" + host + ":" + patientIndexPort;
        this.certificates = "http://" + host + ":" + certificatesPort;
        this.billing = "http://" + host + ":" + billingPort;
    }

    record Answer(int status, String body) {
    }

    Answer get(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("X-Actor", "bench").header("X-Purpose", "benchmark").GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (Exception e) {
            return new Answer(-1, e.toString());
        }
    }

    Answer post(String url, String contentType, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    String sourceRecordUrl(String provider, String localId) {
        return patientIndex + "/api/v1/source-records/" + enc(provider) + "/" + enc(localId);
    }
}
