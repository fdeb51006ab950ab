package kz.ehr.mpi.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import static org.awaitility.Awaitility.await;

import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.KafkaPrincipals;
import kz.ehr.local.Databases;
import kz.ehr.local.LocalKafkaBroker;
import kz.ehr.simulator.bench.ConsumerLag;
import kz.ehr.testsupport.TestPlatform;
import kz.ehr.testsupport.TestTokens;
import kz.ehr.testsupport.bench.ServerCpu;

/**
 * The packaged service on {@link MpiStreamBench}'s stream, through a real broker: what the patient index costs the
 * database in the pipeline, not only in its two consumers' statements. The broker is the test broker (started in this
 * JVM), the database a fresh {@code ehr_mpi_service<EHR_TEST_DB_SUFFIX>}; the service ({@code target/quarkus-app}) runs
 * as in production (its login role, its outbox relay, its table upkeep) while this bench publishes the stream to
 * ehr.patients.v1, ehr.registry.v1 and ehr.care.v1 at the pipeline's rate in bursts of one REST batch, scrapes
 * /q/metrics every 2 s as the pipeline benchmark does, and waits until both consumer groups are at lag 0 and the
 * outbox is drained. It reports per 1,000 records (after an unmeasured warm-up quarter) the CPU of the database's
 * backends (/proc, the bench's own monitor left out) and of the service's JVM, the server's per-table counters, and
 * then the same while the service is idle, per second. {@code -Dbench.log=true}: the service connects as the server's
 * superuser with {@code log_min_duration_statement=0} for its own sessions, and the bench reads the server log
 * ({@code -Dbench.pglog}) into statements, calls and logged time per 1,000 records (the log makes the server slower:
 * use it for the breakdown, not the CPU figures).
 * <pre>
 * java -cp "$CP" kz.ehr.mpi.bench.MpiServiceBench 300000 7     # records, seed; -Dbench.rate=5000 records/s
 * </pre>
 */
public final class MpiServiceBench {
    private static final List<String> GROUPS = List.of("patient-index", "patient-index-locator");

    private MpiServiceBench() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        int rate = Integer.getInteger("bench.rate", 5_000);
        int burst = Integer.getInteger("bench.burst", 1_000);
        int idleSeconds = Integer.getInteger("bench.idle", 30);
        boolean log = Boolean.getBoolean("bench.log");
        String pglog = System.getProperty("bench.pglog", "/var/log/postgresql/postgresql-15-main.log");
        List<MpiStreamBench.Published> stream = MpiStreamBench.cached(records, seed);
        int warmup = Integer.getInteger("bench.warmup", records / 4);

        String bootstrap = TestPlatform.kafkaBootstrapServers();
        KafkaClients admin = TestPlatform.kafkaAdmin();
        Topics.ensureAll(admin);
        String base = "ehr_mpi_service";
        String url = TestPlatform.freshDatabase(base);
        String db = url.substring(url.lastIndexOf('/') + 1);
        Databases.ServiceRoles roles = TestPlatform.roles(base);
        int port = LocalKafkaBroker.freePort();

        Map<String, String> env = new HashMap<>();
        env.put("EHR_KAFKA", bootstrap);
        env.putAll(TestPlatform.kafkaServiceConfig(KafkaPrincipals.Service.ofApplication("patient-index-service")));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("EHR_AUTH_PUBLIC_KEY", TestTokens.publicKeyFile().toString());
        env.put("QUARKUS_FLYWAY_USERNAME", roles.owner());
        env.put("QUARKUS_FLYWAY_PASSWORD", roles.ownerPassword());
        if (log) {
            // the superuser may set the logging of its own sessions; the service's sessions only, through the URL
            env.put("QUARKUS_DATASOURCE_JDBC_URL", url + "?reWriteBatchedInserts=true&options=-c%20log_min_duration_statement%3D0");
            env.put("QUARKUS_DATASOURCE_USERNAME", TestPlatform.pgUser());
            env.put("QUARKUS_DATASOURCE_PASSWORD", TestPlatform.pgPassword());
            env.put("QUARKUS_FLYWAY_USERNAME", TestPlatform.pgUser());
            env.put("QUARKUS_FLYWAY_PASSWORD", TestPlatform.pgPassword());
        } else {
            env.put("QUARKUS_DATASOURCE_JDBC_URL", url + "?reWriteBatchedInserts=true");
            env.put("QUARKUS_DATASOURCE_USERNAME", roles.login());
            env.put("QUARKUS_DATASOURCE_PASSWORD", roles.loginPassword());
        }
        Path jar = Path.of(System.getProperty("bench.app", "target/quarkus-app"), "quarkus-run.jar").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("bench.xmx", "-Xmx512m"), "-jar", jar.toString());
        pb.environment().putAll(env);
        Path serviceLog = Path.of("target", "mpi-service-bench.log").toAbsolutePath();
        pb.redirectErrorStream(true).redirectOutput(serviceLog.toFile());
        Process service = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(service::destroy));
        HttpClient http = HttpClient.newHttpClient();
        String health = "http://127.0.0.1:" + port + "/q/health/ready";
        await("the service ready (log: " + serviceLog + ")").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!service.isAlive()) {
                        throw new IllegalStateException("the service stopped; see " + serviceLog);
                    }
                    try {
                        return http.send(HttpRequest.newBuilder(URI.create(health)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException notYet) {
                        return false; // starting
                    }
                });
        System.out.printf("service pid %d ready on port %d, database %s, broker %s%n", service.pid(), port, db, bootstrap);

        // the periodic work (backend samples every 100 ms, /q/metrics every 2 s, bursts at the rate) on timers
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "mpi-service-bench-timer");
            t.setDaemon(true);
            return t;
        });
        String metrics = "http://127.0.0.1:" + port + "/q/metrics";
        timers.scheduleWithFixedDelay(() -> scrape(http, metrics), 0, 2, TimeUnit.SECONDS);
        String superUrl = url + "?user=" + TestPlatform.pgUser()
                + (TestPlatform.pgPassword().isEmpty() ? "" : "&password=" + TestPlatform.pgPassword());
        try (Connection monitor = DriverManager.getConnection(superUrl);
             ConsumerLag lags = new ConsumerLag(admin);
             KafkaProducer<String, byte[]> producer = admin.producer("mpi-service-bench", new StringSerializer(), new ByteArraySerializer())) {
            int ownPid = ServerCpu.backendPid(monitor);
            BackendSampler sampler = new BackendSampler(superUrl);
            timers.scheduleWithFixedDelay(sampler::sampleOrSkip, 100, 100, TimeUnit.MILLISECONDS);
            publish(timers, producer, stream.subList(0, warmup), rate, burst);
            awaitCaughtUp(lags, monitor);
            // idle backends flush their table counters within 10 s (PostgreSQL 15): the snapshot is taken 11 s later
            Snapshot before = timers.schedule(() -> Snapshot.take(monitor, ownPid, service.pid()), 11, TimeUnit.SECONDS).get();
            sampler.mark();
            long logFrom = log ? new java.io.File(pglog).length() : 0;
            long t0 = System.nanoTime();
            publish(timers, producer, stream.subList(warmup, stream.size()), rate, burst);
            double published = (System.nanoTime() - t0) / 1e9;
            awaitCaughtUp(lags, monitor);
            double caughtUp = (System.nanoTime() - t0) / 1e9;
            Snapshot after = Snapshot.take(monitor, ownPid, service.pid());
            Map<String, Double> byRole = sampler.since();
            Snapshot flushed = timers.schedule(() -> Snapshot.take(monitor, ownPid, service.pid()), 11, TimeUnit.SECONDS).get();
            long logTo = log ? new java.io.File(pglog).length() : 0;
            int measured = stream.size() - warmup;
            double k = measured / 1000.0;
            System.out.printf("measured %,d records (%,d warm-up before): published in %.1f s at %,d/s, caught up after %.1f s;"
                    + " load average %s%n", measured, warmup, published, rate, caughtUp, loadavg());
            System.out.printf("CPU s per 1,000 records: database backends %.4f, service JVM %.4f%n",
                    (after.backends(before)) / k, (after.jvm - before.jvm) / k);
            double sampled = byRole.values().stream().mapToDouble(Double::doubleValue).sum();
            StringBuilder perRole = new StringBuilder();
            byRole.forEach((r, v) -> perRole.append(String.format(", %s %.4f", r, v / k)));
            System.out.printf("CPU s per 1,000 records of every backend sampled every 100 ms (short-lived sessions too): %.4f%s%n",
                    sampled / k, perRole);
            System.out.printf("server counters per 1,000 records (pg_stat_database, %s): transactions %.1f, rolled back %.1f, "
                    + "tuples returned %.0f, fetched %.0f, inserted %.0f, updated %.0f, deleted %.0f, blocks hit %.0f%n", db,
                    (flushed.xacts - before.xacts) / k, (flushed.rollbacks - before.rollbacks) / k,
                    (flushed.returned - before.returned) / k, (flushed.fetched - before.fetched) / k,
                    (flushed.inserted - before.inserted) / k, (flushed.updated - before.updated) / k,
                    (flushed.deleted - before.deleted) / k, (flushed.hits - before.hits) / k);
            printTables(before, flushed, k);
            MpiStreamBench.result(monitor);

            // idle: nothing published, the scraper still scraping as the pipeline bench does between runs
            Snapshot idle0 = Snapshot.take(monitor, ownPid, service.pid());
            sampler.mark();
            // the idle window: its end snapshot idleSeconds later
            Snapshot idle1 = timers.schedule(() -> Snapshot.take(monitor, ownPid, service.pid()), idleSeconds, TimeUnit.SECONDS)
                    .get();
            Map<String, Double> idleByRole = sampler.since();
            System.out.printf("idle %d s: transactions %.1f/s, database backends %.4f CPU s/s, service JVM %.4f CPU s/s%n",
                    idleSeconds, (idle1.xacts - idle0.xacts) / (double) idleSeconds, idle1.backends(idle0) / idleSeconds,
                    (idle1.jvm - idle0.jvm) / idleSeconds);
            System.out.println("idle, sampled every 100 ms, CPU s/s by role: " + idleByRole.entrySet().stream()
                    .map(e -> String.format("%s %.4f", e.getKey(), e.getValue() / idleSeconds)).toList());
            printTables(idle0, idle1, idleSeconds);
            if (log) {
                long idleLogTo = new java.io.File(pglog).length();
                System.out.println("statements while measured, per 1,000 records (server log of the service's sessions):");
                printLog(pglog, logFrom, logTo, db, k);
                System.out.println("statements while idle, per second:");
                printLog(pglog, logTo, idleLogTo, db, idleSeconds);
            }
        } finally {
            timers.shutdownNow();
            service.destroy();
            service.waitFor(20, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    static String loadavg() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    /** The stream in bursts of {@code burst} records (one REST batch of ingestion's), {@code rate} records a second. */
    static void publish(ScheduledExecutorService timers, KafkaProducer<String, byte[]> producer,
                        List<MpiStreamBench.Published> part, int rate, int burst) throws Exception {
        AtomicInteger next = new AtomicInteger();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledFuture<?> bursts = timers.scheduleAtFixedRate(() -> {
            int i = next.getAndAdd(burst);
            try {
                for (MpiStreamBench.Published p : part.subList(Math.min(i, part.size()), Math.min(part.size(), i + burst))) {
                    producer.send(new ProducerRecord<>(p.topic(), p.key(), p.raw()));
                }
                producer.flush();
                if (i + burst >= part.size()) {
                    done.complete(null);
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, 0, Math.max(1, (long) (burst * 1e9 / rate)), TimeUnit.NANOSECONDS);
        try {
            done.get();
        } finally {
            bursts.cancel(false);
        }
    }

    /** Both groups at lag 0 and no unsent outbox row, twice in a row half a second apart. */
    static void awaitCaughtUp(ConsumerLag lags, Connection monitor) {
        AtomicInteger quiet = new AtomicInteger();
        await("both groups at lag 0 and the outbox sent").atMost(Duration.ofMinutes(30)).pollDelay(Duration.ofMillis(500))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (lags.lagOf(GROUPS).values().stream().mapToLong(Long::longValue).sum() == 0 && unsent(monitor) == 0) {
                        return quiet.incrementAndGet() >= 2;
                    }
                    quiet.set(0);
                    return false;
                });
    }

    private static long unsent(Connection monitor) throws SQLException {
        try (Statement st = monitor.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** What the server and the service have spent so far, and the server's counters. */
    record Snapshot(Map<Integer, Double> backendCpu, double jvm, long xacts, long rollbacks, long returned, long fetched,
                    long inserted, long updated, long deleted, long hits, Map<String, long[]> tables) {
        static Snapshot take(Connection monitor, int ownPid, long servicePid) throws Exception {
            Map<Integer, Double> cpu = new HashMap<>();
            try (Statement st = monitor.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")) {
                    while (rs.next()) {
                        if (rs.getInt(1) != ownPid) {
                            cpu.put(rs.getInt(1), ServerCpu.processSeconds(rs.getInt(1)));
                        }
                    }
                }
                st.execute("SELECT pg_stat_clear_snapshot()");
                long[] d = new long[8];
                try (ResultSet rs = st.executeQuery("SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted,"
                        + " tup_updated, tup_deleted, blks_hit FROM pg_stat_database WHERE datname = current_database()")) {
                    rs.next();
                    for (int i = 0; i < 8; i++) {
                        d[i] = rs.getLong(i + 1);
                    }
                }
                Map<String, long[]> tables = new TreeMap<>();
                try (ResultSet rs = st.executeQuery("SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0), coalesce(idx_tup_fetch, 0),"
                        + " n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables")) {
                    while (rs.next()) {
                        long[] v = new long[8];
                        for (int i = 0; i < 8; i++) {
                            v[i] = rs.getLong(i + 2);
                        }
                        tables.put(rs.getString(1), v);
                    }
                }
                return new Snapshot(cpu, ServerCpu.processSeconds((int) servicePid), d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], tables);
            }
        }

        /** CPU the backends spent since {@code earlier}: a backend that started meanwhile counts from 0. */
        double backends(Snapshot earlier) {
            double sum = 0;
            for (var e : backendCpu.entrySet()) {
                sum += e.getValue() - earlier.backendCpu.getOrDefault(e.getKey(), 0.0);
            }
            return sum;
        }
    }

    static void printTables(Snapshot a, Snapshot b, double k) {
        System.out.println("| table | seq scans | seq rows read | index scans | index rows fetched | inserted | updated | of which HOT | deleted |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var e : b.tables.entrySet()) {
            long[] x = a.tables.getOrDefault(e.getKey(), new long[8]);
            long[] y = e.getValue();
            boolean any = false;
            for (int i = 0; i < 8; i++) {
                any |= y[i] != x[i];
            }
            if (!any) {
                continue;
            }
            StringBuilder row = new StringBuilder("| " + e.getKey() + " |");
            for (int i = 0; i < 8; i++) {
                row.append(String.format(" %.1f |", (y[i] - x[i]) / k));
            }
            System.out.println(row);
        }
    }

    static final Pattern ENTRY = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+ \\S+ \\[(\\d+)\\] (\\S*)@(\\S*) ");
    static final Pattern DURATION = Pattern.compile("LOG:  duration: ([0-9.]+) ms  (?:(parse|bind|execute) [^:]*|statement): ");

    /** The server log's duration lines of {@code db}'s sessions between two offsets, by statement text. */
    static void printLog(String log, long from, long to, String db, double k) throws IOException {
        byte[] bytes;
        try (RandomAccessFile f = new RandomAccessFile(log, "r")) {
            bytes = new byte[(int) (to - from)];
            f.seek(from);
            f.readFully(bytes);
        }
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        Map<String, double[]> stats = new LinkedHashMap<>(); // calls (executes), ms (all phases)
        for (int i = 0; i < lines.length; i++) {
            Matcher m = ENTRY.matcher(lines[i]);
            if (!m.find() || !db.equals(m.group(3))) {
                continue;
            }
            Matcher dm = DURATION.matcher(lines[i]);
            if (!dm.find()) {
                continue;
            }
            StringBuilder text = new StringBuilder(lines[i].substring(dm.end()));
            while (i + 1 < lines.length && !ENTRY.matcher(lines[i + 1]).find()) {
                text.append(' ').append(lines[++i].trim());
            }
            String key = text.toString().replaceAll("\\s+", " ").trim();
            double[] s = stats.computeIfAbsent(key.length() > 150 ? key.substring(0, 150) + "…" : key, x -> new double[2]);
            if (dm.group(2) == null || "execute".equals(dm.group(2))) {
                s[0]++;
            }
            s[1] += Double.parseDouble(dm.group(1));
        }
        double total = stats.values().stream().mapToDouble(s -> s[1]).sum();
        double calls = stats.values().stream().mapToDouble(s -> s[0]).sum();
        System.out.printf("%.1f statements, %.1f ms logged (parse + bind + execute)%n", calls / k, total / k);
        System.out.println("| calls | ms | share | statement |");
        System.out.println("|---:|---:|---:|---|");
        List<Map.Entry<String, double[]>> sorted = new ArrayList<>(stats.entrySet());
        sorted.sort((x, y) -> Double.compare(y.getValue()[1], x.getValue()[1]));
        for (var e : sorted.subList(0, Math.min(sorted.size(), Integer.getInteger("bench.top", 30)))) {
            System.out.printf("| %.2f | %.2f | %.1f %% | %s |%n", e.getValue()[0] / k, e.getValue()[1] / k,
                    100 * e.getValue()[1] / total, e.getKey());
        }
    }

    /**
     * Every backend of the database (the bench's own but), read every 100 ms as the pipeline benchmark's CpuBudget does
     * every second: short-lived sessions (TableUpkeep's ANALYZE and VACUUM on a connection of its own) count too, up to
     * their last sample. CPU seconds by login role since {@link #mark}.
     */
    static final class BackendSampler {
        private final Connection c;
        private final int ownPid;
        private final Map<Integer, double[]> seen = new HashMap<>(); // baseline, last
        private final Map<Integer, String> role = new HashMap<>();

        BackendSampler(String url) throws Exception {
            c = DriverManager.getConnection(url);
            ownPid = ServerCpu.backendPid(c);
            sample();
        }

        synchronized void sample() throws Exception {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pid, usename FROM pg_stat_activity WHERE datname = current_database()")) {
                while (rs.next()) {
                    int pid = rs.getInt(1);
                    if (pid == ownPid) {
                        continue;
                    }
                    double cpu = ServerCpu.processSeconds(pid);
                    if (Double.isNaN(cpu)) {
                        continue;
                    }
                    double[] v = seen.computeIfAbsent(pid, x -> new double[] {0, 0});
                    v[1] = cpu;
                    role.put(pid, rs.getString(2));
                }
            }
        }

        /** From now on: every backend counts from its CPU at this moment (a later one from 0). */
        synchronized void mark() throws Exception {
            sample();
            for (double[] v : seen.values()) {
                v[0] = v[1];
            }
        }

        synchronized Map<String, Double> since() throws Exception {
            sample();
            Map<String, Double> out = new TreeMap<>();
            seen.forEach((pid, v) -> out.merge(role.get(pid), v[1] - v[0], Double::sum));
            return out;
        }

        /** One sample on the timer; a failed one is skipped (the next comes 100 ms later). */
        void sampleOrSkip() {
            try {
                sample();
            } catch (Exception e) {
                // the next sample
            }
        }
    }

    /** One /q/metrics scrape, as the pipeline benchmark does every 2 s for the heap. */
    static void scrape(HttpClient http, String url) {
        try {
            http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the service is stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
