package kz.ehr.simulator.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * The REST client side of the contract against a minimal HTTP endpoint that answers like ingestion (the real
 * service is exercised by ./ehr up and ./ehr bench): batches per provider with that provider's key, 503 retried.
 */
class RestSinkTests {
    private HttpServer server;
    private final Map<String, String> keyOfBatch = new ConcurrentHashMap<>();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/records", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (calls.incrementAndGet() == 1) {
                exchange.getResponseHeaders().add("Retry-After", "0");
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            String[] lines = body.strip().split("\n");
            batchSizes.add(lines.length);
            for (String line : lines) {
                keyOfBatch.put(line.substring(line.indexOf("\"recordId\":\"") + 12, line.indexOf("\",\"type\"")),
                        exchange.getRequestHeaders().getFirst("Authorization"));
            }
            byte[] answer = ("{\"batchId\":\"b\",\"accepted\":" + lines.length + ",\"duplicates\":0,\"rejected\":[]}").getBytes();
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void records_go_in_batches_per_provider_with_its_key_and_a_503_is_retried() throws Exception {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        RestSink rest = new RestSink(url, Map.of("damumed", "key-dm", "kmis", "key-km"), 50, 2, 0);
        Map<String, String> providerOf = new ConcurrentHashMap<>();
        try (rest) {
            new Simulation(Simulation.Settings.of(40, List.of("damumed", "kmis"), 3)).run(new RecordSink() {
                @Override
                public void record(SourceRecord r) throws Exception {
                    rest.record(r);
                    providerOf.put(r.recordId(), r.providerId());
                }
            });
        }
        assertThat(keyOfBatch.keySet()).containsExactlyInAnyOrderElementsOf(providerOf.keySet());
        providerOf.forEach((recordId, provider) ->
                assertThat(keyOfBatch.get(recordId)).isEqualTo("Bearer " + (provider.equals("damumed") ? "key-dm" : "key-km")));
        assertThat(batchSizes).allSatisfy(n -> assertThat(n).isBetween(1, 50));
        assertThat(rest.accepted()).isEqualTo(providerOf.size());
        assertThat(rest.takeLatencies().getTotalCount()).isEqualTo(batchSizes.size());
    }
}
