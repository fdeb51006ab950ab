package kz.ehr.console.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.console.ConsoleConfig;
import kz.ehr.security.Caller;
import kz.ehr.security.Purpose;

/**
 * The console's only way out: the four services' public REST APIs, called with the signed-in person's own token (so
 * every service checks that person's roles and audits that person, never the console) and, for reads of patients'
 * data, the purpose that person typed, in the header the services read ({@link Caller#PURPOSE_HEADER}).
 */
@ApplicationScoped
public class Services {
    @Inject
    ConsoleConfig config;
    @Inject
    ObjectMapper json;

    private HttpClient http;

    HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
        }
        return http;
    }

    public String baseUrl(Service service) {
        String url = switch (service) {
            case INGESTION -> config.ingestionUrl();
            case PATIENT_INDEX -> config.patientIndexUrl();
            case CERTIFICATES -> config.certificatesUrl();
            case BILLING -> config.billingUrl();
        };
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public Answer get(Service service, String path, String token, String purpose) {
        return send(service, "GET", path, token, purpose, null, null, null);
    }

    public Answer get(Service service, String path, String token, String purpose, String accept) {
        return send(service, "GET", path, token, purpose, null, null, accept);
    }

    public Answer post(Service service, String path, String token, String purpose, Object body) {
        try {
            byte[] bytes = body == null ? null : json.writeValueAsBytes(body);
            return send(service, "POST", path, token, purpose, bytes, bytes == null ? null : "application/json", null);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public Answer delete(Service service, String path, String token, String purpose) {
        return send(service, "DELETE", path, token, purpose, null, null, null);
    }

    public Answer postBytes(Service service, String path, String token, byte[] body, String contentType) {
        return send(service, "POST", path, token, null, body, contentType, null);
    }

    /** Query string from pairs, skipping blank values: {@code query("iin", iin, "limit", "20")}. */
    public static String query(String... pairs) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] == null || pairs[i + 1].isBlank()) {
                continue;
            }
            s.append(s.isEmpty() ? '?' : '&').append(pairs[i]).append('=')
                    .append(URLEncoder.encode(pairs[i + 1].strip(), StandardCharsets.UTF_8));
        }
        return s.toString();
    }

    /** A path segment from user input, encoded so it stays one segment. */
    public static String segment(String value) {
        return URLEncoder.encode(value == null ? "" : value.strip(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Answer send(Service service, String method, String path, String token, String purpose, byte[] body,
                        String contentType, String accept) {
        String url = baseUrl(service) + path;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(config.timeout())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (purpose != null && !purpose.isBlank()) {
            b.header(Caller.PURPOSE_HEADER, Purpose.encode(purpose.strip()));
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.header("Accept", accept != null ? accept : "application/json, application/problem+json, */*");
        HttpResponse<byte[]> r;
        try {
            r = http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ServiceDown(service, baseUrl(service), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceDown(service, baseUrl(service), e);
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        JsonNode node = null;
        if (type.contains("json") && r.body().length > 0) {
            try {
                node = json.readTree(r.body());
            } catch (IOException notJson) {
                node = null;
            }
        }
        return new Answer(service, r.statusCode(), node, r.body(), type);
    }

    /** JSON as plain maps and lists, which the templates read by key. */
    public Object plain(JsonNode node) {
        return node == null ? null : json.convertValue(node, Object.class);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(JsonNode node) {
        return node == null ? Map.of() : json.convertValue(node, Map.class);
    }
}
