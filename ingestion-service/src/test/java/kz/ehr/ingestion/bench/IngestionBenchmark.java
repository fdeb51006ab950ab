package kz.ehr.ingestion.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.ingestion.validation.RecordValidator;
import kz.ehr.ingestion.validation.ValidatedRecord;
import kz.ehr.ingestion.validation.ValidationPolicy;
import kz.ehr.local.Databases;
import kz.ehr.local.LocalKafkaBroker;
import kz.ehr.events.kafka.KafkaPrincipals;

/**
 * Sustained throughput and batch latency of {@code POST /api/v1/records} against the packaged service, with a
 * real broker in this JVM and the local PostgreSQL; then, in the same run and against the same broker, the raw
 * producer rate for events of the same encoded size, as the reference.
 * <p>
 * Run (after {@code mvn -pl ingestion-service -o package -DskipTests}):
 * {@code mvn -pl ingestion-service -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=kz.ehr.ingestion.bench.IngestionBenchmark}
 * Knobs (system properties): bench.seconds (60), bench.warmup (15), bench.clients (4), bench.batch (1000),
 * bench.rawSeconds (20).
 */
public final class IngestionBenchmark {
    static final String KEY = "bench-key";

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 60);
        int warmup = Integer.getInteger("bench.warmup", 15);
        int clients = Integer.getInteger("bench.clients", 4);
        int batchSize = Integer.getInteger("bench.batch", 1000);
        int rawSeconds = Integer.getInteger("bench.rawSeconds", 20);
        Path module = Path.of(System.getProperty("bench.module", ".")).toAbsolutePath();
        Path jar = module.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn -pl ingestion-service -o package -DskipTests first");
        }
        Path kafkaDir = module.resolve("target/bench-kafka-" + ProcessHandle.current().pid());
        LocalKafkaBroker broker = LocalKafkaBroker.start(kafkaDir, LocalKafkaBroker.freePort(), LocalKafkaBroker.freePort());
        Databases.ensure("127.0.0.1", 5432, "postgres", "", "ehr_ingestion_bench", true);
        int port = LocalKafkaBroker.freePort();
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g"));
        String extraJvmArgs = System.getProperty("bench.serviceJvmArgs", "");
        if (!extraJvmArgs.isBlank()) {
            command.addAll(List.of(extraJvmArgs.trim().split("\\s+"))); // e.g. a JFR recording to profile the service
        }
        command.addAll(List.of("-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/ehr_ingestion_bench",
                // every service needs the staff tokens' public key to start; the bench only uses a provider key
                "-Dmp.jwt.verify.publickey.location=" + kz.ehr.testsupport.TestTokens.publicKeyFile(),
                "-Dquarkus.http.port=" + port, "-jar", jar.toString()));
        ProcessBuilder launch = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(module.resolve("target/bench-service.log").toFile())
                .directory(module.toFile());
        launch.environment().put("EHR_PROVIDER_KEYS", "bench:" + KEY);
        launch.environment().put("EHR_KAFKA_PASSWORD", broker.credentials().password(KafkaPrincipals.Service.INGESTION.principal));
        Process service = launch.start();
        Thread killer = new Thread(service::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            waitReady(port, service);
            System.out.printf("service up on %d, broker %s%n", port, broker.bootstrapServers());
            SyntheticRecords sample = new SyntheticRecords(99, "sample");
            Result rest = restLoad(port, clients, batchSize, warmup, seconds,
                    () -> service.toHandle().info().totalCpuDuration().orElse(java.time.Duration.ZERO));
            int eventSize = averageEventSize(sample, 2000);
            double raw = rawProducerRate(broker.admin(), sample, rawSeconds);
            System.out.println();
            System.out.println("| measure | value |");
            System.out.println("|---|---|");
            System.out.printf("| REST records/s (sustained, %d s, %d clients, %d-record NDJSON batches) | %.0f |%n", seconds, clients,
                    batchSize, rest.recordsPerSecond);
            System.out.printf("| batches (ok / non-200) | %d / %d |%n", rest.batches, rest.failures);
            System.out.printf("| batch latency p50 / p90 / p99 / max (ms) | %.1f / %.1f / %.1f / %.1f |%n",
                    rest.hist.getValueAtPercentile(50) / 1000.0, rest.hist.getValueAtPercentile(90) / 1000.0,
                    rest.hist.getValueAtPercentile(99) / 1000.0, rest.hist.getMaxValue() / 1000.0);
            System.out.printf("| average NDJSON record (bytes) | %d |%n", rest.bytesPerRecord);
            System.out.printf("| service CPU per accepted record (all threads, in the window) | %.1f µs |%n", rest.serviceCpuMicrosPerRecord);
            System.out.printf("| machine load average at the end | %s |%n", Files.readString(Path.of("/proc/loadavg")).trim());
            System.out.printf("| average encoded event (bytes) | %d |%n", eventSize);
            System.out.printf("| raw producer records/s (acks=all, same broker, same events, %d s) | %.0f |%n", rawSeconds, raw);
            System.out.printf("| ratio REST / raw producer | %.2f |%n", rest.recordsPerSecond / raw);
        } finally {
            service.destroy();
            if (!service.waitFor(10, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
            Runtime.getRuntime().removeShutdownHook(killer);
            broker.close();
            deleteTree(kafkaDir);
        }
        System.exit(0);
    }

    record Result(double recordsPerSecond, long batches, long failures, Histogram hist, int bytesPerRecord,
                  double serviceCpuMicrosPerRecord) {
    }

    static void waitReady(int port, Process service) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build();
        await("the service becomes ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!service.isAlive()) {
                        throw new IllegalStateException("the service exited; see target/bench-service.log");
                    }
                    try {
                        return http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                    } catch (IOException e) {
                        return false; // not listening yet
                    }
                });
    }

    static Result restLoad(int port, int clients, int batchSize, int warmupSeconds, int seconds,
                           java.util.function.Supplier<java.time.Duration> serviceCpu) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/records");
        Histogram hist = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong records = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        String run = Long.toString(System.currentTimeMillis(), 36);
        CountDownLatch done = new CountDownLatch(clients);
        CountDownLatch prepared = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                SyntheticRecords gen = new SyntheticRecords(client, run + "-c" + client);
                try {
                    // a few templates per client, generated before the clock starts; each request fills in new record ids
                    SyntheticRecords.Template[] templates = new SyntheticRecords.Template[4];
                    for (int k = 0; k < templates.length; k++) {
                        templates[k] = gen.template(batchSize);
                    }
                    prepared.countDown();
                    go.await();
                    long batchNumber = 0;
                    while (window[1] == 0 || System.nanoTime() < window[1]) {
                        byte[] body = templates[(int) (batchNumber % templates.length)].fill(batchNumber);
                        batchNumber++;
                        HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + KEY)
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        long t1 = System.nanoTime();
                        if (Boolean.getBoolean("bench.verbose")) {
                            System.err.printf("client %d: %d in %d ms: %s%n", client, r.statusCode(), (t1 - t0) / 1_000_000,
                                    r.body().substring(0, Math.min(200, r.body().length())));
                        }
                        if (t0 >= window[0] && t1 <= window[1]) {
                            if (r.statusCode() == 200 && r.body().contains("\"accepted\":" + batchSize)) {
                                synchronized (hist) {
                                    hist.recordValue(Math.min(hist.getHighestTrackableValue(), (t1 - t0) / 1000));
                                }
                                records.addAndGet(batchSize);
                                batches.incrementAndGet();
                                bytes.addAndGet(body.length);
                            } else {
                                failures.incrementAndGet();
                                if (failures.get() < 3) {
                                    System.err.println("batch answered " + r.statusCode() + ": "
                                            + r.body().substring(0, Math.min(400, r.body().length())));
                                }
                            }
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            }, "bench-client-" + c);
            threads.add(t);
            t.start();
        }
        prepared.await();
        long start = System.nanoTime();
        window[0] = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        window[1] = window[0] + TimeUnit.SECONDS.toNanos(seconds);
        go.countDown();
        // the clients warm the service up (JIT) before the window; the service's CPU is read as the window opens
        await("the measured window opens").atMost(Duration.ofSeconds(warmupSeconds + 10)).pollInterval(Duration.ofMillis(10))
                .until(() -> System.nanoTime() >= window[0]);
        java.time.Duration cpuBefore = serviceCpu.get();
        done.await();
        java.time.Duration cpuUsed = serviceCpu.get().minus(cpuBefore);
        double rate = records.get() / (double) seconds;
        int perRecord = records.get() == 0 ? 0 : (int) (bytes.get() / records.get());
        double cpuMicrosPerRecord = records.get() == 0 ? 0 : cpuUsed.toNanos() / 1000.0 / records.get();
        return new Result(rate, batches.get(), failures.get(), hist, perRecord, cpuMicrosPerRecord);
    }

    /** The encoded size of the events the service publishes for these records. */
    static int averageEventSize(SyntheticRecords gen, int n) throws Exception {
        ObjectMapper json = new ObjectMapper();
        EventCodec<HealthRecordEvent> codec = EventCodec.of(HealthRecordEvent.class);
        long total = 0;
        ValidationPolicy policy = ValidationPolicy.at(Instant.now());
        for (int i = 0; i < n; i++) {
            ValidatedRecord v = RecordValidator.validate("bench", json.readTree(gen.record()), policy);
            v.event().getEnvelope().setEventId(java.util.UUID.randomUUID().toString());
            total += codec.encode(v.event()).length;
        }
        return (int) (total / n);
    }

    /** The same events, the same producer settings (acks=all, idempotence, linger), no HTTP/validation/database. */
    static double rawProducerRate(KafkaClients kafka, SyntheticRecords gen, int seconds) throws Exception {
        ObjectMapper json = new ObjectMapper();
        EventCodec<HealthRecordEvent> codec = EventCodec.of(HealthRecordEvent.class);
        ValidationPolicy policy = ValidationPolicy.at(Instant.now());
        List<ProducerRecord<String, byte[]>> pool = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            ValidatedRecord v = RecordValidator.validate("bench", json.readTree(gen.record()), policy);
            v.event().getEnvelope().setEventId(java.util.UUID.randomUUID().toString());
            pool.add(new ProducerRecord<>(v.topic().topic, v.key(), codec.encode(v.event())));
        }
        long sent = 0;
        try (KafkaProducer<String, byte[]> producer = kafka.producer("bench-raw", new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 20_000; i++) { // warm up
                producer.send(pool.get(i % pool.size()));
            }
            producer.flush();
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                for (int i = 0; i < 1000; i++) {
                    producer.send(pool.get((int) (sent++ % pool.size())));
                }
            }
            producer.flush(); // every record acknowledged (acks=all) before the clock stops
            return sent / ((System.nanoTime() - start) / 1e9);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
