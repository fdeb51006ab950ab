package kz.ehr.simulator.output;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Streams NDJSON batches per provider to {@code POST /api/v1/records} with that provider's key, up to
 * {@code concurrency} batches in flight; retries a 503 after its Retry-After; records every batch's latency.
 */
public final class RestSink implements RecordSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ATTEMPTS = 20;

    private final URI endpoint;
    private final Map<String, String> keys;
    private final int batchSize;
    private final Pacer pacer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, List<String>> buffers = new HashMap<>();
    private final ExecutorService senders;
    private final Semaphore inFlight;
    private final List<Future<?>> pending = new ArrayList<>();
    private final Recorder latencyMicros = new Recorder(3);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile Exception failure;

    public RestSink(String baseUrl, Map<String, String> keys, int batchSize, int concurrency, double ratePerSecond) {
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/api/v1/records");
        this.keys = Map.copyOf(keys);
        this.batchSize = batchSize;
        this.pacer = new Pacer(ratePerSecond);
        this.senders = Executors.newFixedThreadPool(concurrency);
        this.inFlight = new Semaphore(concurrency);
    }

    @Override
    public void record(SourceRecord r) throws Exception {
        if (failure != null) {
            throw failure;
        }
        if (!keys.containsKey(r.providerId())) {
            throw new IllegalArgumentException("no key for provider " + r.providerId() + " (use --keys provider:key,…)");
        }
        pacer.await(1);
        List<String> buffer = buffers.computeIfAbsent(r.providerId(), k -> new ArrayList<>(batchSize));
        buffer.add(RecordJson.render(r));
        if (buffer.size() >= batchSize) {
            flush(r.providerId());
        }
    }

    private void flush(String provider) throws InterruptedException {
        List<String> buffer = buffers.remove(provider);
        if (buffer == null || buffer.isEmpty()) {
            return;
        }
        byte[] body = (String.join("\n", buffer) + "\n").getBytes(StandardCharsets.UTF_8);
        submit(provider, body, 0, body.length, buffer.size());
    }

    /**
     * Sends one NDJSON batch of {@code count} records rendered beforehand, {@code length} bytes of {@code ndjson} from
     * {@code offset} (the pipeline benchmark renders before its clock starts and packs many batches in one array),
     * with the same in-flight limit, retries and counters as batches built by {@link #record}.
     */
    public void post(String provider, byte[] ndjson, int offset, int length, int count) throws Exception {
        if (failure != null) {
            throw failure;
        }
        if (!keys.containsKey(provider)) {
            throw new IllegalArgumentException("no key for provider " + provider + " (use --keys provider:key,…)");
        }
        submit(provider, ndjson, offset, length, count);
    }

    private void submit(String provider, byte[] body, int offset, int length, int count) throws InterruptedException {
        inFlight.acquire();
        pending.removeIf(Future::isDone);
        pending.add(senders.submit(() -> {
            try {
                send(provider, body, offset, length, count);
            } catch (Exception e) {
                failure = e;
            } finally {
                inFlight.release();
            }
        }));
    }

    private void send(String provider, byte[] body, int offset, int length, int count) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + keys.get(provider))
                .header("Content-Type", "application/x-ndjson").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body, offset, length)).build();
        for (int attempt = 1; ; attempt++) {
            long t0 = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - t0) / 1000;
            if (response.statusCode() == 200) {
                latencyMicros.recordValue(Math.max(1, micros));
                JsonNode answer = JSON.readTree(response.body());
                accepted.addAndGet(answer.path("accepted").asLong());
                duplicates.addAndGet(answer.path("duplicates").asLong());
                rejected.addAndGet(answer.path("rejected").size());
                sent.addAndGet(count);
                batches.incrementAndGet();
                return;
            }
            if ((response.statusCode() == 503 || response.statusCode() == 429) && attempt < MAX_ATTEMPTS) {
                long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
                Thread.sleep(Math.max(200, wait * 1000));
                continue;
            }
            throw new IllegalStateException("POST " + endpoint + " as " + provider + " answered " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(500, response.body().length())));
        }
    }

    /** Sends what is buffered and waits for every batch in flight. */
    public void drain() throws Exception {
        for (String provider : new ArrayList<>(buffers.keySet())) {
            flush(provider);
        }
        for (Future<?> f : pending) {
            f.get();
        }
        pending.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** Batch latencies recorded since the last call, in microseconds. */
    public Histogram takeLatencies() {
        return latencyMicros.getIntervalHistogram();
    }

    public long accepted() {
        return accepted.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long rejected() {
        return rejected.get();
    }

    public long sent() {
        return sent.get();
    }

    public long batches() {
        return batches.get();
    }

    @Override
    public void close() throws Exception {
        try {
            drain();
        } finally {
            senders.shutdownNow();
        }
    }
}
