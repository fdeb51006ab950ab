package kz.ehr.simulator.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The running platform's REST endpoints the benchmark reads (ports of ARCHITECTURE.md unless overridden). Staff
 * endpoints need a bearer token with the right roles (the launcher passes one with all four in EHR_STAFF_TOKEN);
 * reads of patients' data state their purpose in X-Purpose, which the services write into their audit logs.
 */
final class Platform {
    static final String PURPOSE = "benchmark";

    final String ingestion;
    final String patientIndex;
    final String certificates;
    final String billing;
    private final String staffToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Platform(String host, int ingestionPort, int patientIndexPort, int certificatesPort, int billingPort, String staffToken) {
        this.staffToken = staffToken == null || staffToken.isBlank() ? null : staffToken.strip();
        this.ingestion = "http://" + host + ":" + ingestionPort;
        this.patientIndex = "http://" + host + ":" + patientIndexPort;
        this.certificates = "http://" + host + ":" + certificatesPort;
        this.billing = "http://" + host + ":" + billingPort;
    }

    record Answer(int status, String body) {
    }

    Answer get(String url) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("X-Purpose", PURPOSE).GET();
            if (staffToken != null) {
                b.header("Authorization", "Bearer " + staffToken);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (Exception e) {
            return new Answer(-1, e.toString());
        }
    }

    /** {@code key} is a provider's API key (ingestion); without one the staff token is sent, if there is one. */
    Answer post(String url, String contentType, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
                .header("X-Purpose", PURPOSE).POST(HttpRequest.BodyPublishers.ofString(body));
        String bearer = key != null ? key : staffToken;
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
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
