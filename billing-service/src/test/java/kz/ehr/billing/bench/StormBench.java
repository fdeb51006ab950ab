package kz.ehr.billing.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import org.flywaydb.core.Flyway;

import com.sun.management.GarbageCollectionNotificationInfo;

import kz.ehr.billing.config.Policies;
import kz.ehr.billing.fraud.FraudPolicy;
import kz.ehr.billing.fraud.service.FraudMonitor;
import kz.ehr.billing.projection.BillingIngest;
import kz.ehr.billing.projection.BillingProjection;
import kz.ehr.events.Encounter;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.local.Databases;
import kz.ehr.testsupport.TestPlatform;

/**
 * Issue #14 item 2 as a user saw it: N patients and N encounters, every encounter by one doctor of one polyclinic on one
 * day (a fraud-flag storm), through the consumer's path (a mixed batch: its patients, committed, then its encounters
 * pipelined) in batches of {@code -Dbench.batch} (5,000, the service's). Prints, per batch, the most heap any garbage
 * collection of the batch left in use (the live set, from the collectors' notifications): with a bounded monitor it stays flat; the
 * monitor that held every visit of the day grew with the storm until the heap ran out. Database {@code ehr_billing_storm} plus {@code EHR_TEST_DB_SUFFIX}, recreated each time. Run it with a small heap and
 * {@code -XX:+ExitOnOutOfMemoryError}, so that running out ends the run instead of leaving it limping:
 * <p>
 * {@code MAVEN_OPTS="-Xmx256m -XX:+ExitOnOutOfMemoryError" mvn -pl billing-service -o -q test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=kz.ehr.billing.bench.StormBench -Dexec.args="100000"}
 * <p>
 * {@code -Dbench.rowsPerStep=N} sets {@code billing.fraud.rows-per-step} (10,000 by default, as the service);
 * {@code -Dbench.shape=person}: the other storm, every encounter of one person (booking the same service at the same
 * polyclinic on the same day, by 500 doctors), a person with N records.
 */
public final class StormBench {
    static final String DB = "ehr_billing_storm" + TestPlatform.databaseSuffix();

    public static void main(String[] args) throws Exception {
        int visits = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int batchSize = Integer.getInteger("bench.batch", 5_000);
        Databases.ensure(BillingBench.HOST, BillingBench.PORT, BillingBench.USER, BillingBench.PASSWORD, DB, true);
        String url = "jdbc:postgresql://" + BillingBench.HOST + ":" + BillingBench.PORT + "/" + DB + "?reWriteBatchedInserts=true";
        Flyway.configure().dataSource(url, BillingBench.USER, BillingBench.PASSWORD).locations("classpath:db/migration").load().migrate();
        Policies policies = policies();
        BillingIngest ingest = BillingIngest.of(BillingProjection.of(policies), FraudMonitor.of(policies));
        ZoneId almaty = ZoneId.of("Asia/Almaty");
        Instant first = LocalDate.of(2025, 10, 15).atTime(8, 0).atZone(almaty).toInstant();
        long maxHeap = Runtime.getRuntime().maxMemory();
        boolean onePerson = "person".equals(System.getProperty("bench.shape"));
        System.out.printf("storm: %,d patients + %,d encounters at one polyclinic, %s, one day; batches of %,d; max heap %,d MB%n",
                visits, visits, onePerson ? "all of one person" : "one doctor", batchSize, maxHeap >> 20);
        long t0 = System.nanoTime();
        LiveHeap heap = new LiveHeap();
        long peakLive = 0;
        try (Connection c = DriverManager.getConnection(url, BillingBench.USER, BillingBench.PASSWORD);
             Connection second = DriverManager.getConnection(url, BillingBench.USER, BillingBench.PASSWORD)) {
            c.setAutoCommit(false);
            BillingIngest.OutsideConnection outside = BillingBench.outside(second);
            int sent = 0;
            for (int b = 0; sent < visits; b++) {
                long tb = System.nanoTime();
                List<Delivery<HealthRecordEvent>> batch = new ArrayList<>(batchSize);
                // half patients, half encounters, as the user's load; a poll interleaves the topics
                for (int i = 0; i < batchSize / 2 && sent < visits; i++, sent++) {
                    String iin = BillingBench.personKey(onePerson ? 0 : sent);
                    PatientInfo patient = PatientInfo.newBuilder().setLocalId("L" + sent).setIin(iin).setIinStatus("VALID")
                            .setSex(sent % 2 == 0 ? "F" : "M").setBirthDate(LocalDate.of(1960 + sent % 50, 1 + sent % 12, 1 + sent % 28))
                            .setLastName("Шторм").setFirstName("Пациент").build();
                    batch.add(delivery("ehr.patients.v1", b, batch.size(), iin, HealthRecordEvent.newBuilder()
                            .setEnvelope(Envelopes.of(UUID.randomUUID().toString(), "PATIENT", "storm", "pat-" + sent, first, Instant.now(), null))
                            .setRecordType("PATIENT").setPatient(patient).build()));
                    Instant start = first.plusMillis(sent * 300L); // within the day, each before the previous 10-minute visit ends
                    batch.add(delivery("ehr.care.v1", b, batch.size(), iin, HealthRecordEvent.newBuilder()
                            .setEnvelope(Envelopes.of(UUID.randomUUID().toString(), "ENCOUNTER", "storm", "enc-" + sent, start, Instant.now(), null))
                            .setRecordType("ENCOUNTER").setPatient(patient)
                            .setEncounter(Encounter.newBuilder().setPolyclinicBin("100140000001").setDoctorId(onePerson ? "D" + sent % 500 : "STORM").setStart(start)
                                    .setEnd(start.plusSeconds(600)).setKind("VISIT").setServices(List.of("A01")).build()).build()));
                }
                for (BillingIngest.Part part : BillingIngest.parts(batch, List.of())) {
                    ingest.apply(c, outside, part.records(), part.links());
                    c.commit();
                }
                double batchSecs = BillingBench.secs(tb);
                long live = heap.takePeak();
                peakLive = Math.max(peakLive, live);
                System.out.printf("  batch %3d: %,7d visits in the day, %5.1f s, live heap %s (peak so far %,d MB)%n",
                        b + 1, sent, batchSecs, live == 0 ? "  no GC" : String.format("%,4d MB", live >> 20), peakLive >> 20);
            }
            long flags;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM fraud_flag")) {
                rs.next();
                flags = rs.getLong(1);
            }
            c.commit();
            System.out.printf("storm done: %,d encounters in %.1f s, %,d flags, peak live heap %,d MB of %,d MB%n", visits,
                    BillingBench.secs(t0), flags, peakLive >> 20, maxHeap >> 20);
        }
    }

    /** The heap in use right after each garbage collection, the largest since the last {@link #takePeak()}. */
    static final class LiveHeap {
        private final AtomicLong peak = new AtomicLong();

        LiveHeap() {
            Set<String> heapPools = new HashSet<>();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            // each collector tells what every pool held once it finished; the heap pools' sum is the heap left in use
            NotificationListener afterGc = (notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    long used = 0;
                    for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                        if (heapPools.contains(pool.getKey())) {
                            used += pool.getValue().getUsed();
                        }
                    }
                    peak.accumulateAndGet(used, Math::max);
                }
            };
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) collector).addNotificationListener(afterGc, null, null);
            }
        }

        long takePeak() {
            return peak.getAndSet(0);
        }
    }

    static Delivery<HealthRecordEvent> delivery(String topic, int batch, int i, String key, HealthRecordEvent e) {
        return new Delivery<>(topic, 0, batch * 100_000L + i, key, e, new byte[64]);
    }

    static Policies policies() {
        Policies p = new Policies(new kz.ehr.billing.capitation.CapitationPolicies(List.of(
                BillingBench.policy("2020-01-01", "1.0", "1.0"), BillingBench.policy("2025-10-01", "0.8", "0.9"))), FraudPolicy.defaults(),
                ZoneId.of("Asia/Almaty"));
        Integer rows = Integer.getInteger("bench.rowsPerStep");
        return rows == null ? p : new Policies(p.capitation(), p.fraud(), p.zone(), rows);
    }
}
