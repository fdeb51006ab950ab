package kz.ehr.simulator.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.simulator.output.RestSink;

/**
 * The whole platform as one pipeline: N provider records, generated before the clock starts, posted over REST the
 * way {@link IngestionLoad} posts them (the same {@link RestSink}: batches per provider, a fixed number in flight),
 * timed from the first post until every consumer group of every service has lag 0 and every outbox is drained.
 * Around it: per service the catch-up after the load, CPU per 1,000 records and peak heap; after it, in the same
 * run, the raw Kafka producer and PostgreSQL insert rates it is compared with.
 */
final class PipelineBench {
    static final long POLL_MILLIS = 500;
    /** How often each service's heap is read for its peak. */
    static final long HEAP_SECONDS = 2;

    record Settings(long records, long seed, double errorScale, int batch, int concurrency, long catchUpTimeoutSeconds, Path pidsDir,
                    KafkaClients kafka, String pgHost, int pgPort, String pgUser, String pgPassword, long kafkaRecords, long pgRows,
                    int pgBatch, long warmUpRecords) {
    }

    /** {@code lastLines}: what the run prints last (API.md); {@code drained}: false when the catch-up deadline passed. */
    record Outcome(Map<String, Object> figures, List<String> lastLines, boolean drained) {
    }

    private PipelineBench() {
    }

    static Outcome run(Platform platform, Map<String, String> keys, Settings s, List<byte[]> avroSamples, List<String> jsonSamples)
            throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        long g0 = System.nanoTime();
        say("  generating " + s.records() + " records (seed " + s.seed() + ") before the clock starts…");
        try (PreparedLoad load = PreparedLoad.generate(List.copyOf(keys.keySet()), s.records(), s.warmUpRecords(), s.seed(), s.errorScale(), s.batch(),
                Runtime.getRuntime().maxMemory() * 45 / 100);
             ConsumerLag kafka = new ConsumerLag(s.kafka())) {
            f.put("records", load.records);
            f.put("persons", load.persons);
            f.put("seed", load.seed);
            f.put("errorScale", s.errorScale());
            f.put("recordsByProvider", load.byProvider);
            f.put("recordsByType", load.byType);
            f.put("ndjsonMegabytes", Percentiles.round(load.bytes / 1e6));
            f.put("heldIn", load.spilled() ? "a temporary file (did not fit the memory budget)" : "memory");
            f.put("generationSeconds", Percentiles.round((System.nanoTime() - g0) / 1e9));
            f.put("batchSize", s.batch());
            f.put("concurrentBatches", s.concurrency());

            List<ServiceProbe> probes = new ArrayList<>();
            try {
                for (ServiceProbe.Service service : ServiceProbe.platform(platform)) {
                    probes.add(new ServiceProbe(service, platform, s.pidsDir(), s.pgHost(), s.pgPort(), s.pgUser(), s.pgPassword()));
                }
                return measure(platform, keys, s, load, kafka, probes, f, avroSamples, jsonSamples);
            } finally {
                for (ServiceProbe p : probes) {
                    p.close();
                }
            }
        }
    }

    private static Outcome measure(Platform platform, Map<String, String> keys, Settings s, PreparedLoad load, ConsumerLag kafka,
                                   List<ServiceProbe> probes, Map<String, Object> f, List<byte[]> avroSamples,
                                   List<String> jsonSamples) throws Exception {
        Map<String, List<String>> groupsOf = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        Map<String, String> active = kafka.activeGroups();
        for (ServiceProbe p : probes) {
            groupsOf.put(p.service.name(), new ArrayList<>());
        }
        active.keySet().forEach(group -> probes.stream().filter(p -> p.service.owns(group)).findFirst()
                .ifPresentOrElse(p -> groupsOf.get(p.service.name()).add(group), () -> ignored.add(group)));
        f.put("consumerGroups", groupsOf);
        f.put("ignoredGroups", ignored);

        if (load.warmUp != null) {
            String problem = warmUp(platform, keys, s, load.warmUp, kafka, probes, groupsOf, f);
            if (problem != null) {
                f.put("error", problem);
                return new Outcome(f, List.of("pipeline: not measured, " + problem), false);
            }
        }
        say("  waiting for the platform to be idle (every group at lag 0, every outbox drained) before the clock starts…");
        Drain idle = Drain.await(kafka, probes, groupsOf, System.nanoTime(), s.catchUpTimeoutSeconds());
        if (!idle.drained) {
            f.put("error", "the platform was still busy before the load after " + s.catchUpTimeoutSeconds() + " s: " + idle.behind());
            return new Outcome(f, List.of("pipeline: not measured, the platform was not idle before the load: " + idle.behind()), false);
        }

        int ticksPerSecond = ServiceProbe.clockTicksPerSecond();
        Map<String, OptionalLong> pidBefore = new LinkedHashMap<>();
        Map<String, OptionalLong> ticksBefore = new LinkedHashMap<>();
        Map<String, Map<ServiceProbe.ThreadKind, Long>> threadsBefore = new LinkedHashMap<>();
        Map<String, Map<String, Double>> countersBefore = new LinkedHashMap<>();
        for (ServiceProbe p : probes) {
            OptionalLong pid = p.pid();
            pidBefore.put(p.service.name(), pid);
            ticksBefore.put(p.service.name(), pid.isPresent() ? ServiceProbe.cpuTicks(pid.getAsLong()) : OptionalLong.empty());
            threadsBefore.put(p.service.name(), pid.isPresent() ? ServiceProbe.threadTicks(pid.getAsLong()) : Map.of());
            countersBefore.put(p.service.name(), p.series(WORK_COUNTERS));
        }
        CpuBudget budget = new CpuBudget(s.pgHost(), s.pgPort(), s.pgUser(), s.pgPassword(), s.pidsDir(),
                probes.stream().map(p -> p.service.database()).toList());
        Map<String, Long> peakHeap = new ConcurrentHashMap<>();
        ScheduledExecutorService heapSampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-heap-sampler");
            t.setDaemon(true);
            return t;
        });
        // the heap is read from /q/metrics, a scrape that costs the service CPU it would otherwise spend on records
        // (~10 ms each; JFR): every HEAP_SECONDS, not with the one-second /proc reads of the CPU budget
        heapSampler.scheduleAtFixedRate(budget::sample, 0, 1, TimeUnit.SECONDS);
        heapSampler.scheduleAtFixedRate(
                () -> probes.forEach(p -> p.heapUsedBytes().ifPresent(h -> peakHeap.merge(p.service.name(), h, Math::max))),
                0, HEAP_SECONDS, TimeUnit.SECONDS);

        RestSink rest = new RestSink(platform.ingestion, keys, s.batch(), s.concurrency(), 0);
        say("  posting " + load.records + " records (batches of " + s.batch() + ", " + s.concurrency() + " in flight)…");
        long t0 = System.nanoTime();
        Drain drain;
        try {
            load.forEach(b -> rest.post(b.provider(), b.bytes(), b.offset(), b.length(), b.records()));
            rest.drain();
            long loadEnd = System.nanoTime();
            budget.markPhaseEnd();
            double loadSeconds = (loadEnd - t0) / 1e9;
            f.put("accepted", rest.accepted());
            f.put("duplicates", rest.duplicates());
            f.put("rejected", rest.rejected());
            f.put("loadSeconds", Percentiles.round(loadSeconds));
            f.put("acceptedRecordsPerSecond", Math.round(rest.accepted() / loadSeconds));
            f.put("batchLatencyMs", Percentiles.millis(rest.takeLatencies()));
            say("  load done in " + Percentiles.round(loadSeconds) + " s; waiting for every service to catch up (at most "
                    + s.catchUpTimeoutSeconds() + " s)…");
            drain = Drain.await(kafka, probes, groupsOf, loadEnd, s.catchUpTimeoutSeconds());
            budget.markPhaseEnd();
        } finally {
            heapSampler.shutdownNow();
            rest.close();
        }
        Map<String, Object> services = new LinkedHashMap<>();
        for (ServiceProbe p : probes) {
            String name = p.service.name();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("catchUpSeconds", drain.drainedSince.containsKey(name) ? Percentiles.round(drain.catchUpSeconds(name)) : "not caught up");
            row.put("cpuSecondsPer1000Records", cpu(p, pidBefore.get(name), ticksBefore.get(name), ticksPerSecond, load.records));
            // of which the JIT compilers and the collector (threads alive at both ends): a JVM's warm-up is part of
            // a run's cost, and most of it is not per record
            Map<ServiceProbe.ThreadKind, Long> threadsAfter = pidBefore.get(name).isPresent() && p.pid().equals(pidBefore.get(name))
                    ? ServiceProbe.threadTicks(pidBefore.get(name).getAsLong()) : Map.of();
            for (ServiceProbe.ThreadKind kind : List.of(ServiceProbe.ThreadKind.JIT, ServiceProbe.ThreadKind.GC)) {
                String key = kind == ServiceProbe.ThreadKind.JIT ? "ofWhichJitCompilers" : "ofWhichGarbageCollector";
                Long after = threadsAfter.get(kind);
                Long before = threadsBefore.get(name).getOrDefault(kind, 0L);
                row.put(key, after == null ? "unknown" : cpuSecondsPer1000(Math.max(0, after - before), ticksPerSecond, load.records));
            }
            Long heap = peakHeap.get(name);
            row.put("peakHeapMegabytes", heap == null ? "not readable from /q/metrics" : Math.round(heap / 1e6));
            row.put("consumerGroups", String.join(" ", groupsOf.get(name)));
            row.put("outbox", p.hasOutbox() ? "outbox" : "none");
            row.put("jvmOptions", p.pid().isPresent() ? ServiceProbe.jvmOptions(p.pid().getAsLong()) : "unknown");
            String work = workPer1000(countersBefore.get(name), p.series(WORK_COUNTERS), load.records);
            if (!work.isEmpty()) {
                row.put("workPer1000Records", work);
            }
            services.put(name, row);
        }
        f.put("services", services);
        double jvms = services.values().stream().map(r -> ((Map<?, ?>) r).get("cpuSecondsPer1000Records"))
                .filter(Double.class::isInstance).mapToDouble(Double.class::cast).sum();
        try (budget) {
            f.put("cpuSecondsPer1000RecordsBeyondServices", budget.per1000(load.records, ticksPerSecond, jvms));
            f.put("coresInUse", budget.coresByPhase(ticksPerSecond, "load", "catch-up"));
        }
        f.put("catchUpTimeoutSeconds", s.catchUpTimeoutSeconds());
        f.put("pollIntervalMs", POLL_MILLIS);
        if (!drain.drained) {
            f.put("stillLagging", drain.lastLag);
            f.put("unsentOutboxRows", drain.lastOutbox);
            f.put("error", "not drained " + s.catchUpTimeoutSeconds() + " s after the load: " + drain.behind());
            return new Outcome(f, lastLines(f, services, drain), false);
        }
        double pipelineSeconds = (drain.drainedAt - t0) / 1e9;
        long wholePipeline = Math.round(load.records / pipelineSeconds);
        f.put("pipelineSeconds", Percentiles.round(pipelineSeconds));
        f.put("wholePipelineRecordsPerSecond", wholePipeline);

        say("  pipeline drained in " + Percentiles.round(pipelineSeconds) + " s; raw Kafka and PostgreSQL rates of this run…");
        RawKafkaRate.Result k = RawKafkaRate.measure(s.kafka(), avroSamples, s.kafkaRecords());
        RawPostgresRate.Result pg = RawPostgresRate.measure(s.pgHost(), s.pgPort(), s.pgUser(), s.pgPassword(), jsonSamples, s.pgRows(),
                s.pgBatch());
        f.put("rawKafkaRecordsPerSecond", Math.round(k.recordsPerSecond()));
        f.put("rawKafkaRecords", k.records());
        f.put("rawPostgresRowsPerSecond", Math.round(pg.rowsPerSecond()));
        f.put("rawPostgresRows", pg.rows());
        f.put("pipelineToRawKafka", ratio(wholePipeline, k.recordsPerSecond()));
        f.put("pipelineToRawPostgres", ratio(wholePipeline, pg.rowsPerSecond()));
        double mostBehind = services.values().stream().map(r -> ((Map<?, ?>) r).get("catchUpSeconds"))
                .filter(Number.class::isInstance).mapToDouble(n -> ((Number) n).doubleValue()).max().orElse(0);
        Map<String, Targets.Scaled> targets = Targets.of(wholePipeline, ((Number) f.get("acceptedRecordsPerSecond")).doubleValue(),
                mostBehind, k.recordsPerSecond(), pg.rowsPerSecond());
        f.put("againstTargets", Targets.describe(targets, load.records));
        f.put("targetsMet", Targets.summary(targets));
        return new Outcome(f, lastLines(f, services, drain), true);
    }

    /**
     * Streams the warm-up records (the first persons of the load's own world) the way the load does, before the
     * clock, and waits until every service has caught up: the JVMs have then compiled their hot paths and the tables
     * hold data, as on a platform that has been running. Null, or why the platform never caught up.
     */
    private static String warmUp(Platform platform, Map<String, String> keys, Settings s, PreparedLoad warm, ConsumerLag kafka,
                                 List<ServiceProbe> probes, Map<String, List<String>> groupsOf, Map<String, Object> f) throws Exception {
        say("  warming up: posting " + warm.records + " records of the same population, not measured…");
        long t0 = System.nanoTime();
        RestSink rest = new RestSink(platform.ingestion, keys, s.batch(), s.concurrency(), 0);
        try {
            warm.forEach(b -> rest.post(b.provider(), b.bytes(), b.offset(), b.length(), b.records()));
            rest.drain();
        } finally {
            rest.close();
        }
        f.put("warmUpRecords", warm.records);
        f.put("warmUpAccepted", rest.accepted());
        Drain caughtUp = Drain.await(kafka, probes, groupsOf, System.nanoTime(), s.catchUpTimeoutSeconds());
        if (!caughtUp.drained) {
            return "the platform had not caught up with the warm-up " + s.catchUpTimeoutSeconds() + " s after it: " + caughtUp.behind();
        }
        f.put("warmUpSeconds", Percentiles.round((System.nanoTime() - t0) / 1e9));
        return null;
    }

    private static Object cpu(ServiceProbe p, OptionalLong pid, OptionalLong before, int ticksPerSecond, long records) {
        OptionalLong now = p.pid();
        if (pid.isEmpty() || before.isEmpty()) {
            return "unknown (no readable pid file " + p.service.name() + ".pid)";
        }
        if (now.isEmpty() || now.getAsLong() != pid.getAsLong()) {
            return "unknown (restarted during the run)";
        }
        OptionalLong after = ServiceProbe.cpuTicks(pid.getAsLong());
        if (after.isEmpty()) {
            return "unknown (process gone)";
        }
        return cpuSecondsPer1000(after.getAsLong() - before.getAsLong(), ticksPerSecond, records);
    }

    /**
     * The work counters a service exports that the run reads before and after (billing's fraud monitor: the visit rows
     * it read, by scope), so the CPU per record beside them has its cause beside it.
     */
    static final String WORK_COUNTERS = "ehr_billing_fraud_screening_rows_read_total";

    /**
     * "series n" (n: its increase per 1,000 records) for each counter that moved between the two readings; nothing when
     * the first reading had none (a service that exports none, or one that did not answer: its whole count since it
     * started is not this run's).
     */
    static String workPer1000(Map<String, Double> before, Map<String, Double> after, long records) {
        if (before.isEmpty()) {
            return "";
        }
        List<String> out = new ArrayList<>();
        after.forEach((series, value) -> {
            double delta = value - before.getOrDefault(series, 0.0);
            if (delta > 0 && records > 0) {
                out.add(series + " " + Math.round(delta / records * 1000 * 10) / 10.0);
            }
        });
        return String.join(", ", out);
    }

    static double cpuSecondsPer1000(long ticks, int ticksPerSecond, long records) {
        return Math.round((double) ticks / ticksPerSecond / records * 1000 * 1000) / 1000.0;
    }

    static double ratio(double a, double b) {
        return b <= 0 ? 0 : Math.round(a / b * 1000) / 1000.0;
    }

    @SuppressWarnings("unchecked")
    private static List<String> lastLines(Map<String, Object> f, Map<String, Object> services, Drain drain) {
        List<String> out = new ArrayList<>();
        out.add("pipeline: " + f.get("records") + " records (" + f.get("accepted") + " accepted, " + f.get("rejected") + " rejected, "
                + f.get("duplicates") + " duplicates) through every service");
        out.add("accepted records/s: " + f.get("acceptedRecordsPerSecond"));
        out.add("whole pipeline records/s: " + (drain.drained ? f.get("wholePipelineRecordsPerSecond")
                : "not measured (not drained within " + f.get("catchUpTimeoutSeconds") + " s: " + drain.behind() + ")"));
        services.forEach((name, row) -> {
            Map<String, Object> r = (Map<String, Object>) row;
            out.add("  " + name + ": catch-up seconds " + r.get("catchUpSeconds") + ", CPU seconds per 1,000 records "
                    + r.get("cpuSecondsPer1000Records") + " (JIT compilers " + r.get("ofWhichJitCompilers") + ", collector "
                    + r.get("ofWhichGarbageCollector") + "), peak heap MB " + r.get("peakHeapMegabytes"));
        });
        Object beyond = f.get("cpuSecondsPer1000RecordsBeyondServices");
        if (beyond instanceof Map<?, ?> m) {
            out.add("CPU seconds per 1,000 records beyond the services' JVMs:");
            m.forEach((k, v) -> out.add("  " + k + ": " + v));
        }
        if (f.get("coresInUse") instanceof Map<?, ?> phases && !phases.isEmpty()) {
            out.add("cores in use:");
            phases.forEach((k, v) -> out.add("  " + k + ": " + v));
        }
        if (drain.drained) {
            out.add("raw Kafka producer records/s (same run): " + f.get("rawKafkaRecordsPerSecond") + " (pipeline ÷ raw Kafka "
                    + f.get("pipelineToRawKafka") + ")");
            out.add("raw PostgreSQL insert rows/s (same run): " + f.get("rawPostgresRowsPerSecond") + " (pipeline ÷ raw PostgreSQL "
                    + f.get("pipelineToRawPostgres") + ")");
            out.add("against issue #14's targets, scaled by this run's raw rates: " + f.get("againstTargets"));
        }
        return out;
    }

    /**
     * Polls until every group of every service has lag 0 and every outbox is empty on two polls in a row (a record
     * moving from an outbox row to a topic between the two reads of one poll cannot pass unseen), or the deadline.
     * Per service it keeps when its last drained streak began: its catch-up ends there.
     */
    static final class Drain {
        boolean drained;
        long drainedAt;
        private final long from;
        final Map<String, Long> drainedSince = new LinkedHashMap<>();
        Map<String, Long> lastLag = new TreeMap<>();
        Map<String, Long> lastOutbox = new TreeMap<>();

        private Drain(long from) {
            this.from = from;
        }

        static Drain await(ConsumerLag kafka, List<ServiceProbe> probes, Map<String, List<String>> groupsOf, long from,
                           long timeoutSeconds) throws Exception {
            Drain d = new Drain(from);
            long deadline = from + timeoutSeconds * 1_000_000_000L;
            List<String> groups = groupsOf.values().stream().flatMap(List::stream).toList();
            Long allSince = null;
            long lastSay = System.nanoTime();
            while (true) {
                long now = System.nanoTime();
                Map<String, Long> lag = groups.isEmpty() ? Map.of() : kafka.lagOf(groups);
                boolean all = true;
                d.lastLag = new TreeMap<>();
                d.lastOutbox = new TreeMap<>();
                for (ServiceProbe p : probes) {
                    String name = p.service.name();
                    long unsent = p.unsentOutboxRows();
                    long behind = groupsOf.get(name).stream().mapToLong(g -> lag.getOrDefault(g, 0L)).sum();
                    groupsOf.get(name).forEach(g -> {
                        if (lag.getOrDefault(g, 0L) > 0) {
                            d.lastLag.put(g, lag.get(g));
                        }
                    });
                    if (unsent > 0) {
                        d.lastOutbox.put(name, unsent);
                    }
                    if (behind == 0 && unsent == 0) {
                        d.drainedSince.putIfAbsent(name, now);
                    } else {
                        d.drainedSince.remove(name);
                        all = false;
                    }
                }
                if (all && allSince != null) {
                    d.drained = true;
                    d.drainedAt = allSince;
                    return d;
                }
                allSince = all ? Long.valueOf(now) : null;
                if (now > deadline) {
                    return d;
                }
                if (now - lastSay > 10_000_000_000L) {
                    say("    lag " + d.lastLag + ", unsent outbox rows " + d.lastOutbox);
                    lastSay = now;
                }
                Thread.sleep(POLL_MILLIS);
            }
        }

        /** From the end of the load to the start of the service's last drained streak (a drained service only). */
        double catchUpSeconds(String service) {
            return Math.max(0, drainedSince.get(service) - from) / 1e9;
        }

        String behind() {
            return "groups still lagging " + lastLag + ", unsent outbox rows " + lastOutbox;
        }
    }

    private static void say(String s) {
        System.out.println(s);
        System.out.flush();
    }
}
