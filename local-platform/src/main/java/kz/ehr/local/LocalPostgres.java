package kz.ehr.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL for the embedded default when no server is configured or running: a real PostgreSQL
 * (zonky embedded binaries), which also runs as root.
 */
public final class LocalPostgres {
    private LocalPostgres() {
    }

    public static boolean isListening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static EmbeddedPostgres startEmbedded(Path dataDir, int port) {
        return startEmbedded(dataDir, port, Duration.ofSeconds(60));
    }

    /**
     * As the machine's server is configured: a transaction a service saw committed survives a crash (zonky's default,
     * {@code synchronous_commit=off}, would let an immediate stop lose it after the service committed its Kafka offsets,
     * a loss of the test's making). {@code startupWait}: how long the server may take to accept connections (crash
     * recovery on a busy machine takes longer than zonky's 10 s).
     */
    public static EmbeddedPostgres startEmbedded(Path dataDir, int port, Duration startupWait) {
        try {
            Files.createDirectories(dataDir);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("synchronous_commit", "on")
                    .setPGStartupWait(startupWait)
                    .setOverrideWorkingDirectory(dataDir.getParent().resolve("pg-bin").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir, e);
        }
    }

    /** {@code java -cp local-platform.jar kz.ehr.local.LocalPostgres [--port 5433] [--data-dir .ehr/pgdata] [--start-s 60]} */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(LocalKafkaBroker.arg(args, "--port", "5433"));
        Path dataDir = Path.of(LocalKafkaBroker.arg(args, "--data-dir", ".ehr/pgdata")).toAbsolutePath();
        EmbeddedPostgres pg = startEmbedded(dataDir, port, Duration.ofSeconds(Long.parseLong(LocalKafkaBroker.arg(args, "--start-s", "60"))));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }, "postgres-shutdown"));
        System.out.printf("POSTGRES READY url=jdbc:postgresql://127.0.0.1:%d/postgres user=postgres%n", port);
        Thread.currentThread().join();
    }
}
