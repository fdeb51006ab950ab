package kz.ehr.billing.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.flywaydb.core.Flyway;

import kz.ehr.billing.capitation.CapitationCalculator;
import kz.ehr.billing.capitation.CapitationPolicy;
import kz.ehr.billing.capitation.service.CapitationRuns;
import kz.ehr.billing.config.Policies;
import kz.ehr.billing.fraud.FraudPolicy;
import kz.ehr.billing.fraud.service.FraudMonitor;
import kz.ehr.billing.projection.Affected;
import kz.ehr.billing.projection.BillingIngest;
import kz.ehr.billing.projection.BillingProjection;
import kz.ehr.billing.projection.PersonEvents;
import kz.ehr.events.Encounter;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Hospitalization;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.local.Databases;
import kz.ehr.testsupport.TestPlatform;

/**
 * Measures (1) a month's capitation run over N attached persons against a plain streamed scan of the attachment
 * table, and (2) the fraud screening path (projection + re-screen + flags + outbox, one transaction per batch of
 * 1,000 visits) against that population. Database {@code ehr_billing_bench} plus {@code EHR_TEST_DB_SUFFIX}, recreated each time.
 * <p>
 * {@code mvn -pl billing-service -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=kz.ehr.billing.bench.BillingBench -Dexec.args="1000000 100000"}
 */
public final class BillingBench {
    static final String HOST = env("EHR_PG_HOST", "127.0.0.1");
    static final int PORT = Integer.parseInt(env("EHR_PG_PORT", "5432"));
    static final String USER = env("EHR_PG_USER", "postgres");
    static final String PASSWORD = env("EHR_PG_PASSWORD", "");
    static final String DB = "ehr_billing_bench" + TestPlatform.databaseSuffix();

    public static void main(String[] args) throws Exception {
        int persons = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int visits = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        // "reuse" skips the (slow) reload and measures against the population already in ehr_billing_bench
        boolean reuse = args.length > 2 && "reuse".equals(args[2]);
        if (!reuse) {
            Databases.ensure(HOST, PORT, USER, PASSWORD, DB, true);
        }
        String url = "jdbc:postgresql://" + HOST + ":" + PORT + "/" + DB + "?reWriteBatchedInserts=true";
        Flyway.configure().dataSource(url, USER, PASSWORD).locations("classpath:db/migration").load().migrate();
        Policies policies = new Policies(new kz.ehr.billing.capitation.CapitationPolicies(List.of(
                policy("2020-01-01", "1.0", "1.0"), policy("2025-10-01", "0.8", "0.9"))), FraudPolicy.defaults(), ZoneId.of("Asia/Almaty"));

        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD)) {
            long t = System.nanoTime();
            if (reuse) {
                try (Statement st = c.createStatement()) {
                    st.execute("TRUNCATE capitation_line, capitation_price, capitation_statement, capitation_run");
                }
            } else {
                load(c, persons);
            }
            if (reuse) {
                System.out.printf("reusing the %,d-person population; previous runs truncated in %.1f s%n", persons, secs(t));
            } else {
                System.out.printf("loaded %,d persons/attachments/insurance and ~%,d visits in %.1f s%n", persons, persons, secs(t));
            }

            c.setAutoCommit(false);
            if (args.length > 3 && "screening-only".equals(args[3])) {
                screening(c, url, policies, persons, visits);
                return;
            }
            long scanRows = 0;
            t = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM attachment")) {
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(1);
                        rs.getString(2);
                        rs.getString(4);
                        rs.getDate(6);
                        scanRows++;
                    }
                }
            }
            double scan = secs(t);
            c.commit();
            System.out.printf("floor: streamed sequential scan of attachment, %,d rows: %.2f s%n", scanRows, scan);

            t = System.nanoTime();
            // the lines of version 1, the run's hot path (its statement and run headers are a few entities, not measured here)
            CapitationPolicy policy = policies.capitation().inForceOn(CapitationCalculator.billingDate(YearMonth.of(2025, 11)));
            CapitationRuns.Lines r = CapitationRuns.compute(c, () -> DriverManager.getConnection(url, USER, PASSWORD), YearMonth.of(2025, 11),
                    1, policy, Integer.getInteger("bench.parts", 1));
            c.commit();
            double run = secs(t);
            System.out.printf("capitation run 2025-11 v1: %,d persons, %d polyclinics, %s ₸: %.2f s (%.1f× the scan)%n",
                    r.persons(), r.totals().size(), r.amount().toPlainString(), run, run / scan);
            System.out.printf("  of which: reading the joined facts %.2f s, pricing %.2f s, waiting for the COPY of lines %.2f s,"
                    + " index + attach %.2f s%n", r.readingMillis() / 1e3, r.pricingMillis() / 1e3, r.copyMillis() / 1e3, r.indexMillis() / 1e3);
            t = System.nanoTime();
            r = CapitationRuns.compute(c, () -> DriverManager.getConnection(url, USER, PASSWORD), YearMonth.of(2025, 11),
                    1, policy, Integer.getInteger("bench.parts", 1));
            c.commit();
            double rerun = secs(t);
            System.out.printf("recompute of the open month (swaps the partition): %.2f s%n", rerun);

            screening(c, url, policies, persons, visits);
        }
    }

    static void screening(Connection c, String url, Policies policies, int persons, int visits) throws Exception {
        // a reused population starts each screening run without the previous runs' synthetic encounters and their flags
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM fraud_flag WHERE visit_key LIKE 'bench:enc-%' AND flag_id NOT IN (SELECT flag_id FROM fraud_decision)");
            st.execute("DELETE FROM visit WHERE rec_key LIKE 'bench:enc-%'");
            // -Dbench.mix runs' hospital stays (flags they raised on the loaded visits stay: compare mixed runs among themselves)
            st.execute("DELETE FROM hospitalization WHERE rec_key LIKE 'bench:enc-h-%'");
            st.execute("DELETE FROM person_event WHERE provider_id = 'bench'");
            st.execute("DELETE FROM outbox");
            st.execute("UPDATE visit SET near_mark = false WHERE near_mark");
        }
        c.commit();
        // the deletes above leave each earlier run's ~190,000 rows dead in the heap and every index; the server this was
        // measured on runs without autovacuum, so without this every reused run screened into more bloat than the one before
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute("VACUUM (ANALYZE) visit, person_event, fraud_flag, outbox");
        }
        c.setAutoCommit(false);
        BillingProjection projection = BillingProjection.of(policies);
        FraudMonitor monitor = FraudMonitor.of(policies);
        BillingIngest ingest = BillingIngest.of(projection, monitor);
        // -Dbench.pipeline=false: the sequential path (every read on the batch's connection), step by step
        boolean pipelined = !"false".equals(System.getProperty("bench.pipeline"));
        Connection second = pipelined ? DriverManager.getConnection(url, USER, PASSWORD) : null;
        BillingIngest.OutsideConnection outside = outside(second);
        Random random = new Random(42);
        int batchSize = Integer.getInteger("bench.batch", 1_000);
        // -Dbench.warmup: batches screened before the measured ones (JIT, caches); 5 by default
        int warmup = Integer.getInteger("bench.warmup", 5);
        int mix = Integer.getInteger("bench.mix", 0);
        long measured = 0;
        long t0 = 0;
        long[] steps = new long[4];
        double[] cpuStart = null;
        long generating = 0;
        double[] jvmStart = null;
        String walStart = null;
        for (int b = 0; b < warmup + visits / batchSize; b++) {
            if (b == warmup) {
                t0 = System.nanoTime();
                walStart = walPosition(c);
                cpuStart = cpuSeconds(c, second);
                jvmStart = gcAndJit();
                kz.ehr.billing.projection.StepTimings.drain(); // the warm-up's
            }
            // -Dbench.explain=N: the server logs the plan, rows, buffers and WAL of every statement of batch N (auto_explain)
            if (b == Integer.getInteger("bench.explain", -1)) {
                try (Statement st = c.createStatement()) {
                    st.execute("LOAD 'auto_explain'");
                    st.execute("SET auto_explain.log_min_duration = 0");
                    st.execute("SET auto_explain.log_analyze = on");
                    st.execute("SET auto_explain.log_buffers = on");
                    st.execute("SET auto_explain.log_wal = on");
                    st.execute("SET auto_explain.log_timing = off");
                }
            } else if (b == Integer.getInteger("bench.explain", -1) + 1) {
                try (Statement st = c.createStatement()) {
                    st.execute("SET auto_explain.log_min_duration = -1");
                }
            }
            long tb = System.nanoTime();
            List<Delivery<HealthRecordEvent>> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                int p = random.nextInt(persons);
                String iin = personKey(p);
                int doctor = random.nextInt(5_000);
                LocalDate day = LocalDate.of(2025, 10, 1).plusDays(random.nextInt(30));
                Instant start = day.atTime(8 + random.nextInt(10), random.nextInt(4) * 15).atZone(ZoneId.of("Asia/Almaty")).toInstant();
                String id = UUID.randomUUID().toString();
                HealthRecordEvent e = HealthRecordEvent.newBuilder()
                        .setEnvelope(Envelopes.of(id, "ENCOUNTER", "bench", "enc-" + id, start, Instant.now(), null))
                        .setRecordType("ENCOUNTER")
                        .setPatient(PatientInfo.newBuilder().setLocalId("L" + p).setIin(iin).setIinStatus("VALID").build())
                        .setEncounter(Encounter.newBuilder().setPolyclinicBin(bin(p + (random.nextInt(20) == 0 ? 1 : 0)))
                                .setDoctorId("D" + doctor).setStart(start).setEnd(start.plusSeconds(900)).setKind("VISIT")
                                .setServices(List.of("S" + random.nextInt(50))).build())
                        .build();
                batch.add(new Delivery<>("ehr.care.v1", 0, b * (long) batchSize + i, iin, e, new byte[64]));
            }
            // -Dbench.mix=N: N % more records per batch that are hospital stays of random persons (late facts that
            // re-screen the person's visits), as a batch polled from the four topics mixes encounters with other facts
            for (int i = 0; i < batchSize * mix / 100; i++) {
                int p = random.nextInt(persons);
                String iin = personKey(p);
                Instant admitted = LocalDate.of(2025, 10, 1).plusDays(random.nextInt(30)).atStartOfDay(ZoneId.of("Asia/Almaty")).toInstant();
                String id = UUID.randomUUID().toString();
                HealthRecordEvent e = HealthRecordEvent.newBuilder()
                        .setEnvelope(Envelopes.of(id, "HOSPITALIZATION", "bench", "enc-h-" + id, admitted, Instant.now(), null))
                        .setRecordType("HOSPITALIZATION")
                        .setPatient(PatientInfo.newBuilder().setLocalId("L" + p).setIin(iin).setIinStatus("VALID").build())
                        .setHospitalization(Hospitalization.newBuilder().setFacilityBin(bin(p + 7)).setAdmittedAt(admitted)
                                .setDischargedAt(admitted.plusSeconds(2 * 86_400)).build())
                        .build();
                // spread among the encounters, as a poll interleaves partitions
                batch.add(random.nextInt(batch.size() + 1), new Delivery<>("ehr.registry.v1", 1, b * (long) batchSize + i, iin, e, new byte[64]));
            }
            long t1 = System.nanoTime();
            if (b >= warmup) {
                generating += t1 - tb;
            }
            long t2, t3;
            if (pipelined) {
                // the consumer's path: a mixed batch's other facts in a transaction of their own, then the encounters,
                // with the monitor's reads on a second connection while this one writes
                for (BillingIngest.Part part : BillingIngest.parts(batch, List.of())) {
                    ingest.apply(c, outside, part.records(), part.links());
                    if (part.records().size() < batch.size()) {
                        c.commit();
                    }
                }
                t2 = t1;
                t3 = t1;
            } else {
                PersonEvents.store(c, batch);
                t2 = System.nanoTime();
                Affected affected = projection.applyHealthRecords(c, batch);
                t3 = System.nanoTime();
                monitor.rescreen(c, affected);
            }
            long t4 = System.nanoTime();
            c.commit();
            long t5 = System.nanoTime();
            if (b >= warmup) {
                steps[0] += t2 - t1;
                steps[1] += t3 - t2;
                steps[2] += t4 - t3;
                steps[3] += t5 - t4;
            }
            if (b >= warmup) {
                measured += batchSize; // the visits; a mix's other facts come on top
            }
        }
        double s = secs(t0);
        double[] cpuEnd = cpuSeconds(c, second);
        double walBytes = walSince(c, walStart);
        long flags;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM fraud_flag")) {
            rs.next();
            flags = rs.getLong(1);
        }
        c.commit();
        System.out.printf("fraud screening: %,d visits in %.2f s = %,.0f visits/s (batches of %d%s; %,d flags raised)%n",
                measured, s, measured / s, batchSize, mix == 0 ? ", one transaction each"
                        : " + " + mix + " % hospital stays" + (pipelined ? ", two transactions each" : ", one transaction each"), flags);
        if (pipelined) {
            System.out.printf("  of which: event log + projection + re-screen+flags+outbox (pipelined) %.2f s, commit %.2f s%n",
                    steps[2] / 1e9, steps[3] / 1e9);
        } else {
            System.out.printf("  of which: raw event log %.2f s, projection %.2f s, re-screen+flags+outbox %.2f s, commit %.2f s (sequential)%n",
                    steps[0] / 1e9, steps[1] / 1e9, steps[2] / 1e9, steps[3] / 1e9);
        }
        if (second != null) {
            second.close();
        }
        // the server-wide WAL position: includes whatever else the server wrote meanwhile, so an upper bound
        System.out.printf("  WAL written meanwhile (whole server): %.1f MB = %.1f kB per visit%n", walBytes / 1e6, walBytes / 1e3 / measured);
        // where the CPU went: on a shared 2-core machine, wall time above what these add up to is waiting for a core
        System.out.printf("  CPU meanwhile: this JVM %.2f s, the batch connection's backend %.2f s, the prefetch connection's %.2f s%n",
                cpuEnd[0] - cpuStart[0], cpuEnd[1] - cpuStart[1], cpuEnd[2] - cpuStart[2]);
        double[] jvmEnd = gcAndJit();
        System.out.printf("  of the JVM's: generating the synthetic events %.2f s (wall), GC %.2f s, JIT compiling %.2f s%n", generating / 1e9,
                jvmEnd[0] - jvmStart[0], jvmEnd[1] - jvmStart[1]);
        if (kz.ehr.billing.projection.StepTimings.ON) {
            System.out.print("  per statement (-Dbilling.timings=true):\n" + kz.ehr.billing.projection.StepTimings.drain());
        }
    }

    /** CPU seconds of this JVM and of the server processes behind the two connections (same machine: /proc). */
    /** The prefetch's connection as the consumer's pool hands it out: the same one, kept open, for every call. */
    static BillingIngest.OutsideConnection outside(Connection second) {
        return new BillingIngest.OutsideConnection() {
            @Override
            public <T> T with(BillingIngest.SqlWork<T> work) throws Exception {
                return work.run(second);
            }
        };
    }

    static double[] cpuSeconds(Connection c, Connection second) throws Exception {
        double jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        return new double[] {jvm, backendCpu(c), second == null ? 0 : backendCpu(second)};
    }

    static double[] gcAndJit() {
        double gc = 0;
        for (var bean : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += bean.getCollectionTime() / 1e3;
        }
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return new double[] {gc, jit == null ? 0 : jit.getTotalCompilationTime() / 1e3};
    }

    static double backendCpu(Connection c) throws Exception {
        return kz.ehr.testsupport.bench.ServerCpu.backendSeconds(c);
    }

    static String walPosition(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static double walSince(Connection c, String start) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), ?::pg_lsn)")) {
            ps.setString(1, start);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    static String personKey(int i) {
        return "9" + String.format("%011d", i);
    }

    static String bin(int i) {
        return "BIN" + String.format("%04d", i % 500);
    }

    static kz.ehr.billing.capitation.CapitationPolicy policy(String from, String noVisit, String notInsured) {
        return new kz.ehr.billing.capitation.CapitationPolicy("capitation-" + from, LocalDate.parse(from), new java.math.BigDecimal("1710"),
                java.util.Map.of(), java.util.Map.of("ALMATY", new java.math.BigDecimal("1.10")),
                kz.ehr.billing.capitation.CapitationPolicy.calibrationSexAgeTable(), new java.math.BigDecimal(noVisit),
                new java.math.BigDecimal(notInsured), kz.ehr.billing.capitation.CombinationPolicy.MULTIPLICATIVE, 12, 12, true,
                java.util.Set.of("VISIT", "HOME_VISIT", "SCREENING", "VACCINATION", "TELEMEDICINE"), true);
    }

    /** Synthetic population with batched set-based SQL: 500 polyclinics, ~10% uninsured, ~70% seen in the last year. */
    static void load(Connection c, int n) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute("""
                    INSERT INTO person (person_key, sex, birth_date, last_name, first_name, phone)
                    SELECT '9' || lpad(i::text, 11, '0'), CASE WHEN i %% 2 = 0 THEN 'M' ELSE 'F' END,
                           date '1940-01-01' + (i::bigint * 7919 %% 31000)::int, 'Фамилия', 'Имя', '+7701' || lpad((i %% 10000000)::text, 7, '0')
                    FROM generate_series(0, %1$d - 1) i""".formatted(n));
            st.execute("""
                    INSERT INTO attachment (rec_key, person_key, source_key, polyclinic_bin, region, from_date, record_version)
                    SELECT 'bench:a' || i, '9' || lpad(i::text, 11, '0'), 'bench:L' || i, 'BIN' || lpad((i %% 500)::text, 4, '0'),
                           CASE WHEN i %% 3 = 0 THEN 'ALMATY' ELSE 'ASTANA' END, date '2015-01-01' + (i %% 4000), 1
                    FROM generate_series(0, %1$d - 1) i""".formatted(n));
            st.execute("""
                    INSERT INTO insurance (rec_key, person_key, source_key, insured, from_date, record_version)
                    SELECT 'bench:i' || i, '9' || lpad(i::text, 11, '0'), 'bench:L' || i, i %% 10 <> 0, date '2020-01-01', 1
                    FROM generate_series(0, %1$d - 1) i""".formatted(n));
            st.execute("""
                    INSERT INTO visit (rec_key, person_key, source_key, polyclinic_bin, doctor_id, start_at, visit_date, kind, services,
                                       flagged, record_version)
                    SELECT 'bench:v' || i, '9' || lpad(i::text, 11, '0'), 'bench:L' || i, 'BIN' || lpad((i %% 500)::text, 4, '0'),
                           'H' || (i %% 20000), (date '2024-06-01' + (i %% 520))::timestamptz, date '2024-06-01' + (i %% 520), 'VISIT',
                           '{A01}', i %% 97 = 0, 1
                    FROM generate_series(0, %1$d - 1) i""".formatted(n));
            st.execute("ANALYZE");
        }
    }

    static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
