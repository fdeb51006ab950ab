package kz.ehr.certificates.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import kz.ehr.certificates.Records;
import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.local.Databases;
import kz.ehr.local.LocalKafkaBroker;
import kz.ehr.events.kafka.KafkaPrincipals;

/**
 * Issuance latency and verification throughput through REST on the packaged service, run as a child process
 * against an in-process broker and the local PostgreSQL (database ehr_certificates_bench).
 * <pre>
 * mvn -B -q -o -pl certificate-service package -DskipTests
 * mvn -B -q -o -pl certificate-service test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=kz.ehr.certificates.bench.CertificateBench [-Dexec.args="persons issueSeconds verifySeconds clients cache"]
 * </pre>
 * {@code cache} is the service's verified-signature cache size; 0 makes every verification a full ECDSA check.
 */
public final class CertificateBench {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        int persons = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int issueSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int verifySeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int clients = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int cache = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;
        Path root = Path.of(System.getProperty("user.dir"));
        Path module = Files.exists(root.resolve("certificate-service")) ? root.resolve("certificate-service") : root;
        Path jar = module.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: run mvn -pl certificate-service package -DskipTests first");
        }
        Path work = module.resolve("target/bench");
        deleteTree(work);
        Files.createDirectories(work);
        Databases.ensure("127.0.0.1", 5432, "postgres", "", "ehr_certificates_bench", true);
        Process app = null;
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(work.resolve("kafka"), LocalKafkaBroker.freePort(), LocalKafkaBroker.freePort())) {
            int port = LocalKafkaBroker.freePort();
            List<String> cmd = List.of("-Dquarkus.http.port=" + port, "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                    "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/ehr_certificates_bench",
                    "-Dehr.certificates.keys.keystore-path=" + work.resolve("keys/signing-keys.p12"),
                    "-Dehr.certificates.verified-signature-cache=" + cache, "-Dquarkus.log.level=WARN",
                    // issuing needs a clinician's token; the bench signs its own with the test key
                    "-Dmp.jwt.verify.publickey.location=" + kz.ehr.testsupport.TestTokens.publicKeyFile(),
                    // all clients come from 127.0.0.1: the per-client verification limit would measure itself
                    "-Dehr.certificates.verification.rate-per-second=1000000000", "-Dehr.certificates.verification.burst=1000000");
            List<String> javaCmd = new ArrayList<>(List.of("java", "-Xmx512m"));
            javaCmd.addAll(cmd);
            javaCmd.add("-jar");
            javaCmd.add(jar.toString());
            ProcessBuilder launch = new ProcessBuilder(javaCmd).redirectErrorStream(true).redirectOutput(work.resolve("service.log").toFile());
            launch.environment().put("EHR_KAFKA_PASSWORD", broker.credentials().password(KafkaPrincipals.Service.CERTIFICATES.principal));
            app = launch.start();
            String base = "http://127.0.0.1:" + port;
            awaitReady(base, app, work.resolve("service.log"));

            List<String> iins = seed(broker.admin(), persons);
            awaitEligible(base, iins.get(iins.size() - 1));

            // issuance: 4 clients, one at a time each, round-robin over the seeded persons
            Histogram issueLatency = new ConcurrentHistogram(3);
            List<String> tokens = Collections.synchronizedList(new ArrayList<>());
            long issued = run(4, issueSeconds, () -> {
                String iin = iins.get(ThreadLocalRandom.current().nextInt(iins.size()));
                long t0 = System.nanoTime();
                HttpResponse<String> r = post(base + "/api/v1/certificates", "{\"iin\":\"" + iin + "\",\"type\":\"PSYCHIATRIC_CLEARANCE\"}");
                issueLatency.recordValue((System.nanoTime() - t0) / 1000);
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("issue answered " + r.statusCode() + ": " + r.body());
                }
                tokens.add(field(r.body(), "token"));
            });

            Histogram verifyLatency = new ConcurrentHistogram(3);
            List<String> pool = List.copyOf(tokens);
            long verified = run(clients, verifySeconds, () -> {
                String token = pool.get(ThreadLocalRandom.current().nextInt(pool.size()));
                long t0 = System.nanoTime();
                HttpResponse<String> r = post(base + "/api/v1/verifications", "{\"token\":\"" + token + "\"}");
                verifyLatency.recordValue((System.nanoTime() - t0) / 1000);
                if (r.statusCode() != 200 || !r.body().contains("\"VALID\"")) {
                    throw new IllegalStateException("verification answered " + r.statusCode() + ": " + r.body());
                }
            });

            System.out.printf("date=%s cores=%d persons=%d clients=%d signatureCache=%d distinctTokens=%d%n", Instant.now(),
                    Runtime.getRuntime().availableProcessors(), persons, clients, cache, pool.size());
            System.out.printf("issuance: %d in %ds = %.0f/s; latency ms p50=%.1f p99=%.1f p99.9=%.1f max=%.1f%n", issued, issueSeconds,
                    issued / (double) issueSeconds, ms(issueLatency, 50), ms(issueLatency, 99), ms(issueLatency, 99.9),
                    issueLatency.getMaxValue() / 1000.0);
            System.out.printf("verification: %d in %ds = %.0f/s; latency ms p50=%.1f p99=%.1f max=%.1f%n", verified, verifySeconds,
                    verified / (double) verifySeconds, ms(verifyLatency, 50), ms(verifyLatency, 99), verifyLatency.getMaxValue() / 1000.0);
            // the service's own view (no HTTP, no queueing in the client): Micrometer timers
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            metrics.body().lines().filter(l -> l.startsWith("certificates_issue_seconds") || l.startsWith("certificates_verify_seconds"))
                    .filter(l -> !l.contains("_bucket")).forEach(l -> System.out.println("server: " + l));
        } finally {
            if (app != null) {
                app.destroy();
                if (!app.waitFor(20, TimeUnit.SECONDS)) {
                    app.destroyForcibly();
                }
            }
        }
        System.exit(0);
    }

    interface Call {
        void run() throws Exception;
    }

    /** Runs {@code call} in a loop on {@code threads} threads for {@code seconds}; returns how many completed. */
    static long run(int threads, int seconds, Call call) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int i = 0; i < threads; i++) {
            pool.submit(() -> {
                while (System.nanoTime() < until) {
                    try {
                        call.run();
                        done.incrementAndGet();
                    } catch (Exception e) {
                        if (failed.incrementAndGet() < 5) {
                            System.err.println("bench call failed: " + e.getMessage());
                        }
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        if (failed.get() > 0) {
            System.err.println(failed.get() + " calls failed");
        }
        return done.get();
    }

    static List<String> seed(KafkaClients kafka, int persons) throws Exception {
        EventCodec<HealthRecordEvent> codec = EventCodec.of(HealthRecordEvent.class);
        List<String> iins = new ArrayList<>();
        try (KafkaProducer<String, byte[]> p = kafka.producer("bench-seed", new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < persons; i++) {
                String iin = Records.newIin();
                iins.add(iin);
                p.send(new ProducerRecord<>(Topics.PATIENTS.topic, iin, codec.encode(Records.event("PATIENT", "bench", "B-" + i, iin).build())));
            }
            p.flush();
        }
        return iins;
    }

    static void awaitEligible(String base, String iin) {
        await("the service projects the seeded persons (a certificate for one is issued)").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> post(base + "/api/v1/certificates", "{\"iin\":\"" + iin + "\",\"type\":\"NARCOLOGICAL_CLEARANCE\"}")
                        .statusCode() == 201);
    }

    static void awaitReady(String base, Process app, Path log) {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).GET().build();
        await("the service becomes ready (its log: " + log + ")").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!app.isAlive()) {
                        throw new IllegalStateException("service exited; see " + log);
                    }
                    try {
                        return HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException notYet) {
                        return false; // not listening yet
                    }
                });
    }

    /** A clinician's token (1 h, longer than any run); verification ignores it. */
    static final String CLINICIAN = "Bearer " + kz.ehr.testsupport.TestTokens.of("bench", kz.ehr.security.Roles.CLINICIAN);

    static HttpResponse<String> post(String url, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", CLINICIAN).header("X-Purpose", "benchmark")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(i, json.indexOf('"', i));
    }

    static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
