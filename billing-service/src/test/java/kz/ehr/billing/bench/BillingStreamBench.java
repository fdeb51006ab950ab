package kz.ehr.billing.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.specific.SpecificRecordBase;
import org.flywaydb.core.Flyway;

import kz.ehr.billing.config.Policies;
import kz.ehr.billing.fraud.FraudPolicy;
import kz.ehr.billing.fraud.service.FraudMonitor;
import kz.ehr.billing.projection.BillingIngest;
import kz.ehr.billing.projection.BillingProjection;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.local.Databases;
import kz.ehr.simulator.bench.PublishedStream;
import kz.ehr.testsupport.bench.StatementBudget;

/**
 * Billing's statement budget on a realistic stream ({@link PublishedStream}): the provider simulator's records (three providers, every record
 * type, their error profiles and the fraud mix, in generation order as the pipeline benchmark sends them) as the
 * events ingestion publishes, plus an {@code mpi.links.v1} LINKED event per PATIENT record (the simulator's truth as a
 * perfect index: every source of the person, the golden IIN the first valid one), delivered one batch later. Batches
 * of {@code bench.batch} (5,000, billing.consumer.max-batch: a billing behind the load polls full batches) are applied
 * exactly as the consumer does ({@link BillingIngest#parts}, one or two transactions, the prefetch on a second
 * connection).
 * <p>
 * Reports per 1,000 records: the CPU of both server backends and of this JVM, and per statement (from auto_explain in
 * the server log: {@code -Dbench.pglog}, default the Debian cluster's log; the bench must be able to read it) calls,
 * rows, shared buffer hits/reads/dirtied and the share of the logged execution time. Buffers and calls do not depend on
 * what else the machine runs; times do. auto_explain is loaded into the bench's own two sessions only, and makes the
 * server slower while measured: {@code -Dbench.explain=false} for the CPU figures alone; {@code -Dbench.wholeDays=true}: the
 * monitor reads every touched doctor's day whole (billing.fraud.whole-days), the way before V12. Database
 * {@code ehr_billing_stream<EHR_TEST_DB_SUFFIX>}, recreated each run.
 * <p>
 * {@code mvn -B -q -o -pl billing-service -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
 * -Dmdep.includeScope=test && cd billing-service && java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)"
 * kz.ehr.billing.bench.BillingStreamBench 100000}
 */
public final class BillingStreamBench {
    static final ZoneId ZONE = PublishedStream.ZONE;

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        int batchSize = Integer.getInteger("bench.batch", 5_000);
        boolean explain = !"false".equals(System.getProperty("bench.explain"));
        String suffix = System.getenv().getOrDefault("EHR_TEST_DB_SUFFIX", "").toLowerCase();
        String db = "ehr_billing_stream" + suffix;
        Databases.ensure(BillingBench.HOST, BillingBench.PORT, BillingBench.USER, BillingBench.PASSWORD, db, true);
        String url = "jdbc:postgresql://" + BillingBench.HOST + ":" + BillingBench.PORT + "/" + db;
        Flyway.configure().dataSource(url, BillingBench.USER, BillingBench.PASSWORD).locations("classpath:db/migration").load().migrate();

        long t = System.nanoTime();
        List<Delivery<SpecificRecordBase>> stream = PublishedStream.generate(records, seed, batchSize);
        System.out.printf("generated %,d records + %,d MPI links (seed %d) in %.1f s%n", records, stream.size() - records, seed,
                BillingBench.secs(t));

        Policies policies = new Policies(new kz.ehr.billing.capitation.CapitationPolicies(List.of(
                BillingBench.policy("2020-01-01", "1.0", "1.0"), BillingBench.policy("2025-10-01", "0.8", "0.9"))), FraudPolicy.defaults(), ZONE);
        BillingIngest ingest = BillingIngest.of(BillingProjection.of(policies), FraudMonitor.of(policies, Boolean.getBoolean("bench.wholeDays")));
        String log = System.getProperty("bench.pglog", "/var/log/postgresql/postgresql-15-main.log");
        try (Connection c = DriverManager.getConnection(url, BillingBench.USER, BillingBench.PASSWORD);
             Connection second = DriverManager.getConnection(url, BillingBench.USER, BillingBench.PASSWORD)) {
            c.setAutoCommit(false);
            Set<Integer> pids = new LinkedHashSet<>();
            for (Connection x : List.of(c, second)) {
                try (Statement st = x.createStatement()) {
                    try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                        rs.next();
                        pids.add(rs.getInt(1));
                    }
                    if (explain) {
                        StatementBudget.explain(st);
                    }
                }
                if (x == c) {
                    c.commit();
                }
            }
            BillingIngest.OutsideConnection outside = BillingBench.outside(second);
            long logStart = explain ? new java.io.File(log).length() : 0;
            double[] cpu0 = BillingBench.cpuSeconds(c, second);
            // the JVM's CPU in this short run is mostly its JIT compiling the apply path (and GC): the applying thread's own
            // CPU is what a warm service spends per delivery
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long applyCpu0 = threads.getCurrentThreadCpuTime();
            double[] jvm0 = BillingBench.gcAndJit();
            t = System.nanoTime();
            int batches = 0;
            for (int from = 0; from < stream.size(); from += batchSize) {
                List<Delivery<SpecificRecordBase>> batch = stream.subList(from, Math.min(stream.size(), from + batchSize));
                apply(ingest, c, outside, batch);
                batches++;
            }
            double wall = BillingBench.secs(t);
            double[] cpu1 = BillingBench.cpuSeconds(c, second);
            double applyCpu = (threads.getCurrentThreadCpuTime() - applyCpu0) / 1e9;
            double[] jvm1 = BillingBench.gcAndJit();
            double k = stream.size() / 1000.0;
            System.out.printf("applied %,d deliveries in %d batches of ≤ %,d: %.1f s wall (%,.0f/s; shared machine: wall is noisy)%n",
                    stream.size(), batches, batchSize, wall, stream.size() / wall);
            System.out.printf("CPU s per 1,000 deliveries: server backends %.4f (batch %.4f + prefetch %.4f), this JVM %.4f%s%n",
                    (cpu1[1] - cpu0[1] + cpu1[2] - cpu0[2]) / k, (cpu1[1] - cpu0[1]) / k, (cpu1[2] - cpu0[2]) / k, (cpu1[0] - cpu0[0]) / k,
                    explain ? " (auto_explain on: the server's CPU includes its instrumentation)" : "");
            System.out.printf("  of the JVM: the applying thread %.4f CPU s per 1,000; GC %.1f s and JIT %.1f s (elapsed, all threads) in the run%n",
                    applyCpu / k, jvm1[0] - jvm0[0], jvm1[1] - jvm0[1]);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT (SELECT count(*) FROM visit), (SELECT count(*) FROM person), (SELECT count(*) FROM fraud_flag),"
                            + " (SELECT count(*) FROM fraud_flag WHERE state = 'OPEN'), (SELECT count(*) FROM outbox),"
                            + " (SELECT count(*) FROM visit WHERE flagged), (SELECT count(*) FROM person_event),"
                            + " (SELECT string_agg(rule || '=' || n, ' ' ORDER BY rule) FROM (SELECT rule_id AS rule, count(*) n FROM fraud_flag GROUP BY rule_id) r)")) {
                rs.next();
                System.out.printf("result: visits %,d, persons %,d, flags %,d (OPEN %,d), outbox %,d, flagged visits %,d, events %,d; %s%n",
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
                        rs.getString(8));
            }
            c.commit();
            if (explain) {
                StatementBudget.awaitLogged(c, log, logStart);
                StatementBudget.print(log, logStart, pids, k);
            }
        }
    }

    /** As {@link BillingIngest#handle}: the parts in order, each in its own transaction. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void apply(BillingIngest ingest, Connection c, BillingIngest.OutsideConnection outside,
                      List<Delivery<SpecificRecordBase>> batch) throws Exception {
        List<Delivery<HealthRecordEvent>> records = new ArrayList<>();
        List<Delivery<MpiLinkEvent>> links = new ArrayList<>();
        for (Delivery d : batch) {
            if (d.value() instanceof HealthRecordEvent) {
                records.add(d);
            } else {
                links.add(d);
            }
        }
        for (BillingIngest.Part part : BillingIngest.parts(records, links)) {
            try {
                ingest.apply(c, outside, part.records(), part.links());
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }
}
