package kz.ehr.simulator.importer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP endpoint that answers {@code POST /api/v1/records} as ingestion does (its README): one key per
 * provider, a malformed line or a line without type rejected with its index, the same recordId and content a
 * duplicate, the first call answered 503 with Retry-After. It remembers how often each record arrived. It can hold
 * one batch after processing it (ingestion committed, the answer not yet sent) so a test can kill the importer then.
 */
final class LoopbackIngestion implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, Integer> arrivals = new ConcurrentHashMap<>();
    private final Map<String, String> content = new ConcurrentHashMap<>();
    private final Map<String, String> providerOfKey;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile int holdBatch = -1;
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    LoopbackIngestion(Map<String, String> providerOfKey) throws IOException {
        this.providerOfKey = providerOfKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/api/v1/records", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The {@code n}-th successful batch (1-based) is processed, then held until {@link #release} counts down. */
    void holdBatch(int n) {
        holdBatch = n;
    }

    int batchesProcessed() {
        return answered.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String provider = auth == null ? null : providerOfKey.get(auth.replaceFirst("^Bearer ", ""));
            if (provider == null) {
                answer(exchange, 401, "{\"code\":\"UNAUTHENTICATED\",\"status\":401}");
                return;
            }
            if (calls.incrementAndGet() == 1) {
                exchange.getResponseHeaders().add("Retry-After", "0");
                answer(exchange, 503, "{\"code\":\"KAFKA_UNAVAILABLE\",\"status\":503}");
                return;
            }
            ObjectNode result = process(provider, new String(body, StandardCharsets.UTF_8));
            int n = answered.incrementAndGet();
            if (n == holdBatch) {
                held.countDown();
                release.await();
            }
            answer(exchange, 200, JSON.writeValueAsString(result));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized ObjectNode process(String provider, String body) {
        long accepted = 0;
        long duplicates = 0;
        ArrayNode rejected = JSON.createArrayNode();
        int index = 0;
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String code = null;
            String field = null;
            String recordId = null;
            try {
                JsonNode r = JSON.readTree(line);
                recordId = r.path("recordId").asText(null);
                if (recordId == null || !r.hasNonNull("type")) {
                    code = "REQUIRED";
                    field = recordId == null ? "recordId" : "type";
                }
            } catch (IOException e) {
                code = "MALFORMED_JSON";
            }
            if (code != null) {
                ObjectNode rej = rejected.addObject().put("index", index).put("recordId", recordId);
                rej.putArray("errors").addObject().put("code", code).put("field", field).put("message", code + " at line " + index);
            } else {
                String id = provider + "/" + recordId;
                arrivals.merge(id, 1, Integer::sum);
                String before = content.put(id, line.strip());
                if (line.strip().equals(before)) {
                    duplicates++;
                } else {
                    accepted++;
                }
            }
            index++;
        }
        ObjectNode answer = JSON.createObjectNode().put("batchId", "b").put("accepted", accepted).put("duplicates", duplicates);
        answer.set("rejected", rejected);
        return answer;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
