package kz.ehr.simulator.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Recorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Operations on the loaded platform: online certificate verification rate and a capitation run over what was streamed. */
final class PlatformOperations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PlatformOperations() {
    }

    /** Issues one certificate for a person of the load, then verifies its token online from {@code threads} clients. */
    static Map<String, Object> verificationRate(Platform platform, Iterable<String> iins, String type, int threads, long seconds)
            throws Exception {
        String token = null;
        int tried = 0;
        String lastAnswer = "";
        for (String iin : iins) {
            tried++;
            Platform.Answer a = platform.post(platform.certificates + "/api/v1/certificates", "application/json", null,
                    JSON.createObjectNode().put("iin", iin).put("type", type).toString());
            if (a.status() == 201) {
                token = JSON.readTree(a.body()).path("token").asText(null);
                break;
            }
            lastAnswer = a.status() + " " + a.body();
            if (tried >= 20) {
                break;
            }
        }
        if (token == null) {
            throw new IllegalStateException("no " + type + " certificate could be issued for " + tried + " people of the load; last answer "
                    + lastAnswer.substring(0, Math.min(300, lastAnswer.length())));
        }
        String body = JSON.createObjectNode().put("token", token).toString();
        Recorder latency = new Recorder(3);
        AtomicLong valid = new AtomicLong();
        AtomicLong other = new AtomicLong();
        AtomicLong rateLimited = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<?>> workers = new ArrayList<>();
        // warm-up requests are not counted
        for (int i = 0; i < 50; i++) {
            platform.post(platform.certificates + "/api/v1/verifications", "application/json", null, body);
        }
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    long s = System.nanoTime();
                    Platform.Answer a = platform.post(platform.certificates + "/api/v1/verifications", "application/json", null, body);
                    latency.recordValue(Math.max(1, (System.nanoTime() - s) / 1000));
                    JsonNode n = a.status() == 200 ? JSON.readTree(a.body()) : null;
                    (n != null && "VALID".equals(n.path("status").asText()) ? valid : a.status() == 429 ? rateLimited : other)
                            .incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        pool.shutdownNow();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("certificateType", type);
        m.put("clientThreads", threads);
        m.put("seconds", Percentiles.round(elapsed));
        m.put("valid", valid.get());
        m.put("notValid", other.get());
        // all clients share one address: a service started with the default per-client limit answers 429
        // (./ehr bench starts the platform with the limit lifted; one already running keeps its own)
        m.put("rateLimited", rateLimited.get());
        m.put("verificationsPerSecond", Math.round((valid.get() + other.get()) / elapsed));
        m.put("latencyMs", Percentiles.millis(latency.getIntervalHistogram()));
        return m;
    }

    /** Runs capitation for a month over the streamed population and reports the service's own run time. */
    static Map<String, Object> capitationRun(Platform platform, String month) throws Exception {
        long t0 = System.nanoTime();
        Platform.Answer a = platform.post(platform.billing + "/api/v1/capitation/" + month + "/run", "application/json", null, "");
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (a.status() / 100 != 2) {
            throw new IllegalStateException("POST /api/v1/capitation/" + month + "/run answered " + a.status() + ": "
                    + a.body().substring(0, Math.min(300, a.body().length())));
        }
        JsonNode n = JSON.readTree(a.body());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("month", month);
        m.put("persons", n.path("persons").asLong());
        m.put("polyclinics", n.path("polyclinics").asLong());
        m.put("amount", n.path("amount").asText());
        m.put("serviceMillis", n.path("millis").asLong());
        m.put("requestSeconds", Percentiles.round(seconds));
        return m;
    }
}
