package kz.ehr.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** What the bench sends to the services: the staff token and a purpose, or the provider's key where it has one. */
class PlatformTests {
    record Seen(String path, String authorization, String purpose) {
    }

    @Test
    void readsAndStaffCallsCarryTheStaffTokenAndAPurposeWhileSubmissionsCarryTheProviderKey() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            seen.add(new Seen(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("X-Purpose")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            Platform platform = new Platform("127.0.0.1", port, port, port, port, "staff-jwt");
            platform.get(platform.sourceRecordUrl("damumed", "P-1"));
            platform.post(platform.certificates + "/api/v1/certificates", "application/json", null, "{}");
            platform.post(platform.ingestion + "/api/v1/records", "application/x-ndjson", "provider-key", "{}");
            new Platform("127.0.0.1", port, port, port, port, null).get(platform.billing + "/api/v1/fraud/flags");
        } finally {
            server.stop(0);
        }
        assertThat(seen).containsExactly(
                new Seen("/api/v1/source-records/damumed/P-1", "Bearer staff-jwt", "benchmark"),
                new Seen("/api/v1/certificates", "Bearer staff-jwt", "benchmark"),
                new Seen("/api/v1/records", "Bearer provider-key", "benchmark"),
                new Seen("/api/v1/fraud/flags", null, "benchmark"));
    }
}
