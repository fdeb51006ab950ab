package kz.ehr.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import kz.ehr.security.Roles;
import kz.ehr.testsupport.TestTokens;

/** One packaged service run as its own process, as ./ehr up runs it. */
final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String name;
    final int port;
    private final ProcessBuilder builder;
    private Process process;
    final Path log;

    private ServiceProcess(String name, int port, ProcessBuilder builder, Path log) throws IOException {
        this.name = name;
        this.port = port;
        this.builder = builder;
        this.log = log;
        this.process = builder.start();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Starts the same service again (same port, database and configuration), appending to its log. */
    void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
    }

    static ServiceProcess start(Path repoRoot, String module, int port, Map<String, String> systemProperties,
                                Map<String, String> env) throws IOException {
        return start(repoRoot, module, module, port, systemProperties, env);
    }

    /** One of several instances of a module: {@code instance} names its log (e.g. {@code billing-service-2}). */
    static ServiceProcess start(Path repoRoot, String module, String instance, int port, Map<String, String> systemProperties,
                                Map<String, String> env) throws IOException {
        Path jar = repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (mvn verify does)");
        }
        List<String> cmd = new ArrayList<>(List.of("java", "-Xmx" + heap(repoRoot, module), "-XX:TieredStopAtLevel=1"));
        cmd.add("-Dquarkus.http.port=" + port);
        systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        Path log = repoRoot.resolve("platform-tests/target/e2e-logs/" + instance + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new ServiceProcess(instance, port, pb, log);
    }

    /**
     * The module's own heap where it names one ({@code MODULE/jvm-heap}, which {@code ./ehr} reads too: ingestion's
     * HAPI R4 validator keeps about 350 MiB), else 384 MiB, enough for the other services under test.
     */
    static String heap(Path repoRoot, String module) throws IOException {
        Path file = repoRoot.resolve(module).resolve("jvm-heap");
        if (!Files.exists(file)) {
            return "384m";
        }
        return Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .findFirst().orElseThrow(() -> new IllegalStateException(file + " names no heap"));
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /**
     * A staff read: a token with every role and a stated purpose, as the services require for patients' data
     * (the token is signed per call with the test key every service of {@link RunningPlatform} trusts).
     */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return request("GET", path, "Bearer " + allRoles(), Map.of("X-Purpose", "platform test"), null);
    }

    static String allRoles() {
        return TestTokens.of("platform-tests", Roles.ALL.toArray(String[]::new));
    }

    /** Any call: {@code authorization} may be null, {@code body} null for none (sent as JSON otherwise). */
    HttpResponse<String> request(String method, String path, String authorization, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String authorization, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(90))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * How long a service may take to start: 300 s (on the shared 2-core machine under load a packaged service has taken
     * over 180 s), or {@code -Dehr.test.ready-seconds}, as RunningPlatform reads it.
     */
    static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("ehr.test.ready-seconds", 300));

    /** Polls /q/health/ready until it answers 200 or the deadline passes. */
    void awaitReady(Duration timeout) throws InterruptedException, IOException {
        awaitReady(timeout, "/q/health/ready");
    }

    private void awaitReady(Duration timeout, String health) throws InterruptedException, IOException {
        try {
            Awaitility.await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log:\n" + tail());
                }
                try {
                    return request("GET", health, null, Map.of(), null).statusCode() == 200;
                } catch (IOException notYet) {
                    return false; // not listening yet
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " not ready within " + timeout + "; log:\n" + tail());
        }
    }

    String tail() throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
