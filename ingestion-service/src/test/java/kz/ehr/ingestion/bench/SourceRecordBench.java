package kz.ehr.ingestion.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;

import kz.ehr.ingestion.idempotency.RecordVersions;
import kz.ehr.ingestion.idempotency.SourceRecordStore;
import kz.ehr.testsupport.TestPlatform;

/**
 * PostgreSQL CPU of ingestion's idempotency state per 1,000 records: {@link SourceRecordStore#decide} and
 * {@link SourceRecordStore#record} for batches of new record ids (what a bulk load is), then for batches that resend
 * known ids with changed content (every one a new version). CPU is the server backend's utime + stime from /proc, so
 * other load on the machine does not count; no Kafka, no HTTP.
 * <p>
 * Run: {@code EHR_TEST_DB_SUFFIX=_me mvn -pl ingestion-service -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=kz.ehr.ingestion.bench.SourceRecordBench -Dexec.args="200 1000"} (batches, records per batch).
 */
public final class SourceRecordBench {
    private static final String PROVIDER = "bench";
    private static final String[] TYPES = {"ENCOUNTER", "PATIENT", "OBSERVATION", "ATTACHMENT"};

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        String url = TestPlatform.freshDatabase("ehr_ingestion_bench_sr");
        Flyway.configure().dataSource(url, TestPlatform.pgUser(), TestPlatform.pgPassword())
                .locations("classpath:db/migration").load().migrate();
        SourceRecordStore store = new SourceRecordStore();
        try (Connection c = DriverManager.getConnection(url, TestPlatform.pgUser(), TestPlatform.pgPassword())) {
            c.setAutoCommit(false);
            long pid;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getLong(1);
            }
            List<List<String>> ids = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                List<String> batch = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    batch.add("R-" + UUID.randomUUID());
                }
                ids.add(batch);
            }
            run(c, store, ids.subList(0, Math.min(10, batches)), "warm-up", pid, 0); // JIT, plan cache
            List<List<String>> fresh = ids.subList(Math.min(10, batches), batches);
            run(c, store, fresh, "new record ids", pid, 0);
            run(c, store, fresh, "known ids, changed content", pid, 1);
        }
    }

    private static void run(Connection c, SourceRecordStore store, List<List<String>> batches, String label, long pid, int salt)
            throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long records = 0;
        long cpuBefore = backendCpuTicks(pid);
        long started = System.nanoTime();
        for (List<String> batch : batches) {
            List<RecordVersions.Candidate> candidates = new ArrayList<>(batch.size());
            List<String> types = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                candidates.add(new RecordVersions.Candidate(batch.get(i), sha.digest((batch.get(i) + salt).getBytes())));
                types.add(TYPES[i % TYPES.length]);
            }
            Instant now = Instant.now();
            SourceRecordStore.Decided d = store.decide(c, PROVIDER, candidates, types, now);
            List<SourceRecordStore.Published> published = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                RecordVersions.Decision decision = d.decisions().get(i);
                if (decision.outcome() != RecordVersions.Outcome.DUPLICATE) {
                    published.add(new SourceRecordStore.Published(batch.get(i), candidates.get(i).contentHash(),
                            decision.version(), decision.eventId(), types.get(i)));
                }
            }
            store.record(c, PROVIDER, published, d.claimed(), now);
            c.commit();
            records += batch.size();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = (backendCpuTicks(pid) - cpuBefore) / 100.0;
        System.out.printf("%-28s %8d records  %6.1f s wall  backend CPU %.4f s per 1,000 records%n", label, records, seconds,
                cpu * 1000 / Math.max(1, records));
    }

    /** utime + stime of a process in clock ticks (100 a second on Linux). */
    private static long backendCpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
