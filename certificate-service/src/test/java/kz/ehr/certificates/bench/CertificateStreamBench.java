package kz.ehr.certificates.bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import kz.ehr.certificates.eligibility.CertificateType;
import kz.ehr.certificates.projection.MpiLinks;
import kz.ehr.certificates.projection.RecordsProjector;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.simulator.bench.PublishedStream;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.bench.ServerCpu;
import kz.ehr.testsupport.bench.StatementBudget;

/**
 * Certificates' cost of consuming the stream: {@link PublishedStream}'s first {@code bench.records} records (seed
 * {@code bench.seed}, 7) and their MPI link events, applied in stream order through the service's own
 * {@link RecordsProjector} (batches of 1,000, as {@code HealthRecordsConsumer} polls) and {@link MpiLinks} (batches of
 * 500, {@code MpiLinksConsumer}), each batch in its transaction, on a fresh database of the local PostgreSQL. Before
 * the stream, every {@code bench.certified}-th (10) distinct valid IIN of the stream gets one active certificate of
 * each type, so that deaths, registrations, UNFIT exams, abnormal fluorographies and identity changes revoke some.
 * <p>
 * Reports per 1,000 deliveries the CPU of the server backends the batches ran on (/proc) and of the bench thread (the
 * consumer's work; the whole JVM's in brackets, Quarkus' idle consumers and GC included), and the results: events
 * stored, {@code mpi_link} rows, applied triggers, revocations by reason, outbox rows, and a digest of each table that
 * must not change with the code. {@code -Dbench.explain=true} adds the statement budget from auto_explain (the server
 * log {@code -Dbench.pglog} must be readable; it slows the server). The outbox relay is off: it would add its polling.
 * <p>
 * {@code EHR_TEST_DB_SUFFIX=_x mvn -B -o -q -pl certificate-service -am test-compile surefire:test@quarkus-tests
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest=CertificateStreamBench -Dbench.records=100000}
 */
@QuarkusTest
@TestProfile(CertificateStreamBench.NoRelay.class)
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_certificates_stream"))
@EnabledIfSystemProperty(named = "bench.records", matches = "\\d+")
class CertificateStreamBench {
    static final int RECORD_BATCH = 1000;
    static final int LINK_BATCH = 500;

    /** The outbox relay off: its polling would cost the server CPU the bench counts. */
    public static class NoRelay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ehr.outbox.enabled", "false");
        }
    }

    @Inject
    RecordsProjector projector;
    @Inject
    MpiLinks mpiLinks;
    @Inject
    AgroalDataSource dataSource;

    /** Server backend pid → its CPU seconds when the bench first used it. */
    final Map<Integer, Double> backendsAtStart = new LinkedHashMap<>();

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void consumeTheStream() throws Exception {
        int records = Integer.getInteger("bench.records");
        long seed = Long.getLong("bench.seed", 7);
        int certifiedEvery = Integer.getInteger("bench.certified", 10);
        boolean explain = Boolean.getBoolean("bench.explain");
        long t = System.nanoTime();
        List<Delivery<SpecificRecordBase>> stream = PublishedStream.generate(records, seed, 5_000);
        System.out.printf("generated %,d records + %,d MPI links (seed %d) in %.1f s%n", records, stream.size() - records, seed,
                (System.nanoTime() - t) / 1e9);
        int certified = certify(stream, certifiedEvery);

        String log = System.getProperty("bench.pglog", "/var/log/postgresql/postgresql-15-main.log");
        long logStart = explain ? new java.io.File(log).length() : 0;
        var threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double thread0 = threads.getCurrentThreadCpuTime() / 1e9;
        double process0 = os.getProcessCpuTime() / 1e9;
        t = System.nanoTime();
        List<Delivery<HealthRecordEvent>> recordBatch = new ArrayList<>(RECORD_BATCH);
        List<Delivery<MpiLinkEvent>> linkBatch = new ArrayList<>(LINK_BATCH);
        int batches = 0;
        for (Delivery d : stream) {
            if (d.value() instanceof HealthRecordEvent) {
                recordBatch.add(d);
                if (recordBatch.size() == RECORD_BATCH) {
                    applyRecords(recordBatch, explain);
                    batches++;
                }
            } else {
                linkBatch.add(d);
                if (linkBatch.size() == LINK_BATCH) {
                    applyLinks(linkBatch, explain);
                    batches++;
                }
            }
        }
        if (!recordBatch.isEmpty()) {
            applyRecords(recordBatch, explain);
            batches++;
        }
        if (!linkBatch.isEmpty()) {
            applyLinks(linkBatch, explain);
            batches++;
        }
        double wall = (System.nanoTime() - t) / 1e9;
        double thread = threads.getCurrentThreadCpuTime() / 1e9 - thread0;
        double process = os.getProcessCpuTime() / 1e9 - process0;
        double server = 0;
        for (Map.Entry<Integer, Double> b : backendsAtStart.entrySet()) {
            server += ServerCpu.processSeconds(b.getKey()) - b.getValue();
        }
        double k = stream.size() / 1000.0;
        System.out.printf("applied %,d deliveries in %d batches (records ≤ %d, links ≤ %d): %.1f s wall (shared machine: wall is noisy)%n",
                stream.size(), batches, RECORD_BATCH, LINK_BATCH, wall);
        System.out.printf("CPU s per 1,000 deliveries: server backends %.4f (%d backends), bench thread %.4f (whole JVM %.4f)%s%n",
                server / k, backendsAtStart.size(), thread / k, process / k,
                explain ? " (auto_explain on: the server's CPU includes its instrumentation)" : "");
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("""
                    SELECT (SELECT count(*) FROM person_event), (SELECT count(*) FROM mpi_link), (SELECT count(*) FROM applied_trigger),
                      (SELECT count(*) FROM certificate WHERE revoked_at IS NOT NULL), (SELECT count(*) FROM outbox),
                      (SELECT coalesce(string_agg(revocation_reason || '=' || n, ' ' ORDER BY revocation_reason), '') FROM
                        (SELECT revocation_reason, count(*) n FROM certificate WHERE revoked_at IS NOT NULL GROUP BY 1) r),
                      (SELECT md5(string_agg(concat_ws('|', provider_id, source_record_id, event_id, person_key, record_type, local_id,
                        occurred_at, record_version, md5(payload)), ',' ORDER BY provider_id, source_record_id)) FROM person_event),
                      (SELECT md5(string_agg(concat_ws('|', provider_id, local_id, enterprise_id, golden_iin, source_iin),
                        ',' ORDER BY provider_id, local_id)) FROM mpi_link),
                      (SELECT md5(string_agg(concat_ws('|', number, revocation_reason, revoked_by_event), ',' ORDER BY number))
                        FROM certificate WHERE revoked_at IS NOT NULL),
                      (SELECT md5(string_agg(concat_ws('|', provider_id, local_id, event_id), ',' ORDER BY provider_id, local_id))
                        FROM mpi_link)""")) {
                rs.next();
                System.out.printf("result: events %,d, mpi_link %,d, applied triggers %,d, certificates %,d of which revoked %,d (%s), outbox %,d%n",
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), certified, rs.getLong(4), rs.getString(6), rs.getLong(5));
                System.out.printf("digests: person_event %s, mpi_link %s (the events that last changed them %s), revoked %s%n", rs.getString(7),
                        rs.getString(8), rs.getString(10), rs.getString(9));
            }
            if (explain) {
                StatementBudget.awaitLogged(c, log, logStart);
                StatementBudget.print(log, logStart, backendsAtStart.keySet(), k);
            }
        }
    }

    private void applyRecords(List<Delivery<HealthRecordEvent>> batch, boolean explain) {
        List<Delivery<HealthRecordEvent>> copy = List.copyOf(batch);
        batch.clear();
        QuarkusTransaction.requiringNew().run(() -> {
            onBackend(explain);
            try {
                projector.apply(copy);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void applyLinks(List<Delivery<MpiLinkEvent>> batch, boolean explain) {
        List<Delivery<MpiLinkEvent>> copy = List.copyOf(batch);
        batch.clear();
        QuarkusTransaction.requiringNew().run(() -> {
            onBackend(explain);
            try {
                mpiLinks.apply(copy);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Notes the backend this transaction runs on (its CPU from now on counts) and loads auto_explain into it once. */
    private void onBackend(boolean explain) {
        try (Connection c = dataSource.getConnection()) {
            int pid = ServerCpu.backendPid(c);
            if (!backendsAtStart.containsKey(pid)) {
                if (explain) {
                    try (Statement st = c.createStatement()) {
                        StatementBudget.explain(st);
                    }
                }
                backendsAtStart.put(pid, ServerCpu.processSeconds(pid));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One active certificate of each type for every {@code every}-th distinct valid IIN of the stream; returns how many. */
    private int certify(List<Delivery<SpecificRecordBase>> stream, int every) throws SQLException {
        Set<String> iins = new LinkedHashSet<>();
        for (Delivery<SpecificRecordBase> d : stream) {
            if (d.value() instanceof HealthRecordEvent e && "VALID".equals(e.getPatient().getIinStatus())) {
                iins.add(e.getPatient().getIin());
            }
        }
        int n = 0;
        int i = 0;
        Instant issued = Instant.parse("2020-01-01T00:00:00Z");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO certificate (number, type, iin, kid, issued_at, expires_at, token) VALUES (?, ?, ?, 'bench', ?, ?, 'bench')""")) {
            for (String iin : iins) {
                if (i++ % every != 0) {
                    continue;
                }
                for (CertificateType type : CertificateType.values()) {
                    ps.setString(1, type.name() + "-" + iin);
                    ps.setString(2, type.name());
                    ps.setString(3, iin);
                    ps.setObject(4, java.sql.Timestamp.from(issued));
                    ps.setObject(5, java.sql.Timestamp.from(issued.plusSeconds(400L * 86_400 * 365)));
                    ps.addBatch();
                    n++;
                }
            }
            ps.executeBatch();
        }
        return n;
    }
}
