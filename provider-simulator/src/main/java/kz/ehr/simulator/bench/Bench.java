package kz.ehr.simulator.bench;

import static kz.ehr.simulator.Simulator.arg;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import kz.ehr.events.EventCodec;
import kz.ehr.events.ProviderRecord;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.KafkaCredentials;
import kz.ehr.events.kafka.KafkaPrincipals;
import kz.ehr.simulator.output.RecordJson;
import kz.ehr.simulator.output.RecordSink;
import kz.ehr.simulator.output.Simulation;
import kz.ehr.simulator.output.SourceRecord;

/**
 * {@code ./ehr bench}: measures what needs the whole running platform and writes docs/benchmarks.md + .json.
 * Scenarios (all by default, or {@code --only a,b}): {@code kafka} raw producer rate, {@code postgres} raw batched
 * insert rate, {@code ingestion} REST load with batch latency percentiles, {@code mpi} and {@code fraud} accuracy
 * on what the load streamed, {@code verify} online certificate verification rate, {@code capitation} a capitation
 * run over the load, {@code e2e} accepted → visible latency per service, {@code pipeline} the whole platform as one
 * pipeline ({@link PipelineBench}; last, as it loads the most, and its summary lines are the run's last lines).
 */
public final class Bench {
    /** The scenarios, in the order they run (pipeline last), and {@code report} (re-render, no platform). */
    static final List<String> SCENARIOS = List.of("kafka", "postgres", "ingestion", "mpi", "fraud", "verify", "capitation",
            "e2e", "pipeline");
    static final String USAGE = """
            usage: ./ehr bench [--only SCENARIO,…] [options]   (starts the platform unless it is up; writes docs/benchmarks.md)
              --only LIST            kafka,postgres,ingestion,mpi,fraud,verify,capitation,e2e,pipeline (default all),
                                     or report (re-render docs/benchmarks.md from benchmarks.json; no platform)
              --records N            pipeline: records streamed (default 1000000; run on a fresh platform)
              --catch-up-timeout S   pipeline: seconds to wait for every consumer and outbox (default 1800)
              --pipeline-seed S      pipeline: the stream's seed (default: the time, so record ids are new each run)
              --warm-up N            pipeline: stream N other records first, unmeasured, and wait until the platform is
                                     idle (default 0: a cold platform; the JIT's warm-up is then part of the figure)
              --persons N --seed S --error-scale X   ingestion/mpi/fraud load (defaults 3000, 7, 1)
              --batch N --concurrency C              REST batches (defaults 1000, 2)
              --kafka-records N      raw Kafka producer records (default 200000)
              --pg-rows N --pg-batch N               raw PostgreSQL insert (defaults 100000, 1000)
              --samples N --e2e-timeout S            e2e latency (defaults 30, 30)
              --mpi-persons N --fraud-settle S --verify-seconds S --capitation-month YYYY-MM
              --out DIR              where benchmarks.md/.json go (default docs)
              --host H --ports P1,P2,P3,P4 --keys p:k,… --staff-token T --kafka H:P --kafka-credentials DIR
              --pg-host H --pg-port P --pg-user U --pg-password W   (the launcher passes these)
            """;
    private static final Set<String> OPTIONS = Set.of("--only", "--out", "--host", "--ports", "--staff-token", "--keys",
            "--kafka-credentials", "--kafka", "--persons", "--seed", "--error-scale", "--batch", "--concurrency",
            "--kafka-records", "--pg-rows", "--pg-batch", "--samples", "--e2e-timeout", "--mpi-persons", "--fraud-settle",
            "--verify-seconds", "--capitation-month", "--records", "--pipeline-seed", "--warm-up", "--catch-up-timeout", "--pg-host",
            "--pg-port", "--pg-user", "--pg-password");

    private Bench() {
    }

    /**
     * What is wrong with these arguments, or null: an option this bench does not know (a typo would otherwise run the
     * whole default bench), an option without its value, a scenario that does not exist, a record count that is not one.
     */
    static String problem(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--check")) {
                continue;
            }
            if (!OPTIONS.contains(args[i])) {
                return "unknown option " + args[i];
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                return args[i] + " needs a value";
            }
            i++;
        }
        // record counts: a negative or fractional one would otherwise run a smaller load than the report says
        String records = arg(args, "--records", null);
        if (records != null && !records.matches("[1-9][0-9]{0,17}")) {
            return "--records needs a whole number above 0, not " + records;
        }
        String warmUp = arg(args, "--warm-up", null);
        if (warmUp != null && !warmUp.matches("[0-9]{1,18}")) {
            return "--warm-up needs a whole number of records (0 for none), not " + warmUp;
        }
        String only = arg(args, "--only", null);
        if (only != null && !only.equals("report")) {
            for (String s : only.split(",")) {
                if (!SCENARIOS.contains(s)) {
                    return "unknown scenario " + s + " in --only";
                }
            }
        }
        return null;
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        String problem = problem(args);
        if (problem != null) {
            System.err.print(problem + "\n" + USAGE);
            System.exit(2);
        }
        if (Arrays.asList(args).contains("--check")) {
            return;   // the launcher asks before it starts a platform for a run that would stop at once
        }
        Set<String> only = Set.copyOf(Arrays.asList(arg(args, "--only", String.join(",", SCENARIOS)).split(",")));
        Path docs = Path.of(arg(args, "--out", "docs"));
        if (only.equals(Set.of("report"))) {
            // rendering needs no platform, broker or database: before any of them is touched
            Report.rewrite(docs);
            say("re-rendered " + docs.resolve("benchmarks.md") + " from benchmarks.json and the current docs/benchmarks/*.md");
            return;
        }
        String host = arg(args, "--host", "127.0.0.1");
        int[] ports = Arrays.stream(arg(args, "--ports", "8081,8082,8083,8084").split(",")).mapToInt(Integer::parseInt).toArray();
        // staff endpoints (MPI reads, certificates, capitation, fraud flags) need a token with every role: the
        // launcher mints one into EHR_STAFF_TOKEN, so it appears neither in the process list nor in the report
        Platform platform = new Platform(host, ports[0], ports[1], ports[2], ports[3],
                arg(args, "--staff-token", System.getenv("EHR_STAFF_TOKEN")));
        Map<String, String> keys = kz.ehr.simulator.Simulator.parseKeys(arg(args, "--keys", System.getenv().getOrDefault("EHR_PROVIDER_KEYS", "")));
        // the raw rate and the consumer lag need the broker's admin (a scratch topic, every group's offsets)
        KafkaClients kafka = KafkaCredentials.in(Path.of(arg(args, "--kafka-credentials", ".ehr/kafka-credentials")))
                .clients(arg(args, "--kafka", "127.0.0.1:9092"), KafkaPrincipals.ADMIN);
        long persons = Long.parseLong(arg(args, "--persons", "3000"));
        long seed = Long.parseLong(arg(args, "--seed", "7"));
        double errorScale = Double.parseDouble(arg(args, "--error-scale", "1"));
        int batch = Integer.parseInt(arg(args, "--batch", "1000"));
        int concurrency = Integer.parseInt(arg(args, "--concurrency", "2"));
        long kafkaRecords = Long.parseLong(arg(args, "--kafka-records", "200000"));
        long pgRows = Long.parseLong(arg(args, "--pg-rows", "100000"));
        int pgBatch = Integer.parseInt(arg(args, "--pg-batch", "1000"));
        int samples = Integer.parseInt(arg(args, "--samples", "30"));
        long e2eTimeout = Long.parseLong(arg(args, "--e2e-timeout", "30"));
        int mpiPersons = Integer.parseInt(arg(args, "--mpi-persons", "1500"));
        long fraudSettle = Long.parseLong(arg(args, "--fraud-settle", "60"));
        long verifySeconds = Long.parseLong(arg(args, "--verify-seconds", "10"));
        String capitationMonth = arg(args, "--capitation-month", "2026-10");
        long pipelineRecords = Long.parseLong(arg(args, "--records", "1000000"));
        // a fresh seed per run: record ids carry it, so a second run is new records, not duplicates of the first
        long pipelineSeed = Long.parseLong(arg(args, "--pipeline-seed", String.valueOf(Instant.now().getEpochSecond())));
        long warmUp = Long.parseLong(arg(args, "--warm-up", "0"));
        long catchUpTimeout = Long.parseLong(arg(args, "--catch-up-timeout", "1800"));
        String pgHost = arg(args, "--pg-host", env("EHR_PG_HOST", "127.0.0.1"));
        int pgPort = Integer.parseInt(arg(args, "--pg-port", env("EHR_PG_PORT", "5432")));
        String pgUser = arg(args, "--pg-user", env("EHR_PG_USER", "postgres"));
        String pgPassword = arg(args, "--pg-password", env("EHR_PG_PASSWORD", ""));

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        // options the launcher gave every JVM of this run (EHR_JAVA_OPTS: another collector, a recording): part of the
        // command, so a run with them never reads as one on defaults
        String javaOptions = env("EHR_JAVA_OPTS", "").strip();
        report.put("command", Report.withJavaOptions(javaOptions, "./ehr bench " + String.join(" ", redact(args))));
        if (!javaOptions.isEmpty()) {
            report.put("javaOptions", javaOptions);
        }
        report.put("machine", Machine.facts());
        report.put("postgres", PostgresSettings.read(pgHost, pgPort, pgUser, pgPassword));
        Map<String, Object> scenarios = new LinkedHashMap<>();
        report.put("scenarios", scenarios);

        List<byte[]> avro = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        sampleRecords(avro, payloads);

        if (only.contains("kafka")) {
            say("raw Kafka producer rate: " + kafkaRecords + " records to a scratch topic…");
            RawKafkaRate.Result k = RawKafkaRate.measure(kafka, avro, kafkaRecords);
            Map<String, Object> s = scenario("Raw Kafka producer rate (physical reference)",
                    "One producer with the platform's settings (acks=all, idempotence, lz4, linger 5 ms) writing provider records "
                            + "(Avro ProviderRecord, the simulator's JSON in payload) to a scratch 6-partition topic, deleted afterwards.",
                    "./ehr bench --only kafka --kafka-records " + kafkaRecords);
            s.put("records", k.records());
            s.put("averageRecordBytes", k.recordBytes());
            s.put("seconds", Percentiles.round(k.seconds()));
            s.put("recordsPerSecond", Math.round(k.recordsPerSecond()));
            s.put("megabytesPerSecond", Percentiles.round(k.megabytesPerSecond()));
            scenarios.put("rawKafkaProducer", s);
            say("  " + s);
        }
        if (only.contains("postgres")) {
            say("raw PostgreSQL batched inserts: " + pgRows + " rows into a scratch database…");
            RawPostgresRate.Result p = RawPostgresRate.measure(pgHost, pgPort, pgUser, pgPassword, payloads, pgRows, pgBatch);
            Map<String, Object> s = scenario("Raw PostgreSQL batched-insert rate (physical reference)",
                    "JDBC batches (reWriteBatchedInserts) of provider-record JSON into a jsonb table with a primary key in the scratch "
                            + "database `" + RawPostgresRate.DATABASE + "` (dropped afterwards), one commit per batch.",
                    "./ehr bench --only postgres --pg-rows " + pgRows + " --pg-batch " + pgBatch);
            s.put("rows", p.rows());
            s.put("batch", p.batch());
            s.put("seconds", Percentiles.round(p.seconds()));
            s.put("rowsPerSecond", Math.round(p.rowsPerSecond()));
            scenarios.put("rawPostgresInsert", s);
            say("  " + s);
        }
        Truth truth = null;
        if (only.contains("ingestion")) {
            require(keys);
            say("ingestion load: " + persons + " persons over REST (batches of " + batch + ", " + concurrency + " in flight)…");
            IngestionLoad.Result load = IngestionLoad.run(platform, keys, persons, seed, errorScale, batch, concurrency);
            truth = load.truth();
            Map<String, Object> s = scenario("Ingestion throughput and batch latency (REST)",
                    "The simulator's load mode: a synthetic population from all providers as NDJSON batches to POST /api/v1/records; "
                            + "a batch's latency is request to 200 (every accepted record acknowledged by Kafka). HdrHistogram percentiles.",
                    "./ehr bench --only ingestion,mpi,fraud --persons " + persons + " --seed " + seed + " --batch " + batch
                            + " --concurrency " + concurrency);
            s.putAll(load.figures());
            scenarios.put("ingestion", s);
            say("  " + s);
        }
        if (truth != null && only.contains("mpi")) {
            Truth t = truth;
            say("waiting for patient-index to catch up, then MPI accuracy on " + mpiPersons + " persons…");
            awaitCaughtUp(platform, t, 300);
            Map<String, Object> s = scenario("MPI accuracy on the streamed population (pairwise)",
                    "Every pair of source records of the first persons of the load: same true person vs same enterprise id from "
                            + "GET /api/v1/source-records/{providerId}/{localId}. The simulator's error profiles apply (typos, "
                            + "transliteration, swapped names, missing/wrong IIN, day-month swap, maiden names).",
                    "./ehr bench --only ingestion,mpi --persons " + persons + " --seed " + seed + " --error-scale " + errorScale
                            + " --mpi-persons " + mpiPersons);
            attempt(s, () -> MpiAccuracy.measure(platform, t.sources, mpiPersons));
            scenarios.put("mpiAccuracy", s);
            say("  " + s);
        }
        if (truth != null && only.contains("fraud")) {
            say("fraud monitor precision/recall (waiting up to " + fraudSettle + " s for flags to settle)…");
            Map<String, Object> s = scenario("Fraud monitor precision and recall on the streamed population",
                    "Visits labelled by the simulator (visit after death, overloaded doctor, wrong-sex screening, duplicate, "
                            + "visit during a hospital stay) vs visits billing flagged (GET /api/v1/fraud/flags, visitKey = provider:recordId), "
                            + "counting only this run's visits.",
                    "./ehr bench --only ingestion,fraud --persons " + persons + " --seed " + seed);
            Truth t = truth;
            attempt(s, () -> FraudAccuracy.measure(platform, t.fraud, t.encounters, fraudSettle));
            scenarios.put("fraudAccuracy", s);
            say("  " + s);
        }
        if (truth != null && only.contains("verify")) {
            Truth t = truth;
            say("certificate verification rate (" + verifySeconds + " s)…");
            Map<String, Object> s = scenario("Certificate verification rate (online, running platform)",
                    "One TB_CLEARANCE certificate issued for a person of the load, then POST /api/v1/verifications with its token "
                            + "from 2 client threads for a fixed time. The certificate engineer's in-process figure is in "
                            + "docs/benchmarks/certificate-service.md.",
                    "./ehr bench --only ingestion,verify --persons " + persons + " --verify-seconds " + verifySeconds);
            attempt(s, () -> PlatformOperations.verificationRate(platform, t.cleanIins, "TB_CLEARANCE", 2, verifySeconds));
            scenarios.put("certificateVerification", s);
            say("  " + s);
        }
        if (truth != null && only.contains("capitation")) {
            say("capitation run for " + capitationMonth + "…");
            Map<String, Object> s = scenario("Capitation run over the streamed population (running platform)",
                    "POST /api/v1/capitation/" + capitationMonth + "/run after the load; persons are those attached on the billing date. "
                            + "The 1 M-person figure is the billing engineer's, in docs/benchmarks/billing-service.md.",
                    "./ehr bench --only ingestion,capitation --persons " + persons + " --capitation-month " + capitationMonth);
            attempt(s, () -> PlatformOperations.capitationRun(platform, capitationMonth));
            scenarios.put("capitationRun", s);
            say("  " + s);
        }
        if (only.contains("e2e")) {
            require(keys);
            String provider = keys.keySet().iterator().next();
            say("end-to-end latency: " + samples + " samples…");
            Map<String, Object> s = scenario("End-to-end latency: accepted → visible",
                    "From ingestion's 200 to the record being readable in each service, polled every 20 ms (so figures carry up to "
                            + "20 ms of polling granularity plus one HTTP round trip). Measured after the load, sequentially, one sample at a time.",
                    "./ehr bench --only e2e --samples " + samples);
            attempt(s, () -> EndToEndLatency.measure(platform, provider, keys.get(provider), samples, e2eTimeout));
            scenarios.put("endToEnd", s);
            say("  " + s);
        }
        PipelineBench.Outcome pipeline = null;
        if (only.contains("pipeline")) {
            require(keys);
            say("whole pipeline: " + pipelineRecords + " records over REST until every service has caught up…");
            Map<String, Object> s = scenario(warmUp > 0 ? "Whole pipeline, warm: REST → every service caught up, after a warm-up"
                            : "Whole pipeline: REST → every service caught up",
                    "N provider records (the simulator's population and timelines: every record type, three providers with their "
                            + "error profiles, the fraud mix) rendered as NDJSON batches before the clock starts, then posted to "
                            + "POST /api/v1/records as the ingestion load does. Whole pipeline = N ÷ (first post → every consumer group "
                            + "of every service at lag 0 and every outbox drained, on two polls in a row). Per service: catch-up after "
                            + "the load, CPU (utime + stime of its process) per 1,000 records and peak heap (/q/metrics, every 2 s). "
                            + "Cores in use during the load and during the catch-up: the machine's busy cores of its capacity and the "
                            + "PostgreSQL server's (/proc), so that a catch-up that left cores idle shows. The raw Kafka and "
                            + "PostgreSQL rates are measured right after, in the same run. Against the targets: "
                            + "issue #14's (1,000,000 records: whole pipeline ≥ 6,000 records/s, accepted ≥ 10,000 records/s, no "
                            + "service more than 60 s behind when the load ends, set where the raw Kafka producer did ~190,000 "
                            + "records/s and PostgreSQL ~45,000 rows/s), each scaled by this run's raw Kafka rate and by its raw "
                            + "PostgreSQL rate."
                            + (warmUp > 0 ? " Warm-up: the first " + warmUp + " records of the same population were posted "
                            + "before, unmeasured, and the clock started once every service had caught up with them (JIT "
                            + "compiled, tables not empty); without it the platform is cold." : ""),
                    "./ehr bench --only pipeline --records " + pipelineRecords + (warmUp > 0 ? " --warm-up " + warmUp : ""));
            PipelineBench.Settings settings = new PipelineBench.Settings(pipelineRecords, pipelineSeed, errorScale, batch, concurrency,
                    catchUpTimeout, pidsDir(args), kafka, pgHost, pgPort, pgUser, pgPassword, kafkaRecords, pgRows, pgBatch, warmUp);
            try {
                pipeline = PipelineBench.run(platform, keys, settings, avro, payloads);
                s.putAll(pipeline.figures());
            } catch (Exception e) {
                s.put("error", e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
                pipeline = new PipelineBench.Outcome(s, List.of("pipeline: failed: " + s.get("error")), false);
            }
            // a warm run is its own row: the cold one (the JIT's warm-up included) stays beside it
            scenarios.put(warmUp > 0 ? "pipelineWarm" : "pipeline", s);
        }
        Report.write(docs, report);
        say("wrote " + docs.resolve("benchmarks.md") + " and " + docs.resolve("benchmarks.json"));
        if (pipeline != null) {
            pipeline.lastLines().forEach(Bench::say);
            if (!pipeline.drained()) {
                System.exit(1);
            }
        }
    }

    /** --pids, else $EHR_STATE_DIR/pids, else the launcher's .ehr/pids of the checkout this jar was built in. */
    private static Path pidsDir(String[] args) {
        String given = arg(args, "--pids", null);
        if (given != null) {
            return Path.of(given);
        }
        String state = System.getenv("EHR_STATE_DIR");
        if (state != null && !state.isBlank()) {
            return Path.of(state, "pids");
        }
        try {
            Path jar = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent().getParent().resolve(".ehr").resolve("pids"); // <root>/provider-simulator/target/…jar
        } catch (Exception e) {
            return Path.of(".ehr", "pids");
        }
    }

    interface Measurement {
        Map<String, Object> run() throws Exception;
    }

    /** A scenario that fails (a service without the endpoint, a timeout) is reported as such; the others still run. */
    private static void attempt(Map<String, Object> s, Measurement m) {
        try {
            s.putAll(m.run());
        } catch (Exception e) {
            s.put("error", e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
        }
    }

    private static Map<String, Object> scenario(String title, String what, String command) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("title", title);
        s.put("what", what);
        s.put("command", command);
        return s;
    }

    /** Waits until the last source record of every provider is known to patient-index (its consumers drained). */
    private static void awaitCaughtUp(Platform platform, Truth truth, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        for (SourceRecord last : truth.lastRecordOfProvider.values()) {
            while (System.nanoTime() < deadline
                    && platform.get(platform.sourceRecordUrl(last.providerId(), last.patient().localId())).status() != 200) {
                Thread.sleep(500);
            }
        }
    }

    private static void sampleRecords(List<byte[]> avro, List<String> payloads) throws Exception {
        EventCodec<ProviderRecord> codec = EventCodec.of(ProviderRecord.class);
        new Simulation(Simulation.Settings.of(1000, List.of("damumed", "kmis", "medelement"), 99)).run(new RecordSink() {
            @Override
            public void record(SourceRecord r) {
                if (payloads.size() < 10_000) {
                    String json = RecordJson.render(r);
                    payloads.add(json);
                    avro.add(codec.encode(ProviderRecord.newBuilder().setProviderId(r.providerId()).setRecordId(r.recordId())
                            .setSubmittedAt(Instant.now()).setPayload(json).setTraceId(null).build()));
                }
            }
        });
    }

    private static void require(Map<String, String> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("--keys provider:key,… (or EHR_PROVIDER_KEYS) is needed to post to ingestion");
        }
    }

    /** Provider keys are credentials: never written into the report. */
    private static List<String> redact(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("--keys") || args[i].equals("--pg-password") || args[i].equals("--staff-token")) && i + 1 < args.length) {
                i++;
                continue;
            }
            if (args[i].equals("--out") && i + 1 < args.length) {
                i++;
                continue;
            }
            out.add(args[i]);
        }
        return out;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static void say(String s) {
        System.out.println(s);
        System.out.flush();
    }
}
