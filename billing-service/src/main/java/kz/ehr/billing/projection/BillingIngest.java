package kz.ehr.billing.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.avro.specific.SpecificRecordBase;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import kz.ehr.billing.fraud.service.FraudMonitor;
import kz.ehr.billing.metrics.BillingMetrics;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.db.AdvisoryLocks;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;

/**
 * One consumed batch in one transaction, or two when it mixes encounters with other facts ({@link #parts}): typed
 * projection, identity repairs, fraud re-screening, outbox; the event log with them, or for a full batch beside them
 * in a transaction of its own ({@link EventLogBeside}, {@link #handle}).
 * Plain JDBC connections (the batch's and the prefetch's): the consumer's path BillingStreamBench measures (docs/benchmarks/billing-service.md).
 */
@ApplicationScoped
public class BillingIngest {
    /** Reads the committed state for the monitor while the batch's transaction writes (see {@link #apply}). */
    private static final ExecutorService PREFETCH = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "billing-screening-prefetch");
        t.setDaemon(true);
        return t;
    });

    /** A connection outside the batch's transaction (autocommit), for the prefetch; it is closed or handed back after use. */
    @FunctionalInterface
    public interface OutsideConnection {
        <T> T with(SqlWork<T> work) throws Exception;
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    @Inject
    AgroalDataSource dataSource;
    @Inject
    BillingProjection projection;
    @Inject
    FraudMonitor fraudMonitor;
    @Inject
    BillingMetrics metrics;
    @Inject
    kz.ehr.billing.config.BillingConfig config;

    /** For code running outside CDI (benchmarks). */
    public static BillingIngest of(BillingProjection projection, FraudMonitor monitor) {
        BillingIngest i = new BillingIngest();
        i.projection = projection;
        i.fraudMonitor = monitor;
        return i;
    }

    /**
     * The projection's one writer at a time: every transaction that applies consumed records or identity repairs takes
     * this transaction-level advisory lock before its first read ({@link #takeWriteLock}). Two instances of the consumer
     * group ({@code ./ehr up --replicas N}, a second instance in {@code ./ehr chaos}) apply batches of different partitions,
     * and what one batch screens or routes can depend on rows another partition's batch writes: a national doctor's day
     * spans the polyclinics (and so the patients, and so the partitions) of its visits; a link on {@code mpi.links.v1}
     * (keyed by enterprise) moves the rows of sources whose records arrive keyed by the source. Two such transactions at
     * once each read the state without the other's rows, and both commit: the doctor's overlap at two polyclinics is
     * never flagged, and a record of a source being linked stays under the key the link moved the source away from, with
     * nothing to move it again (FraudMonitorTests.twoWritersAtOnce…, ReattributionTests.aRecordStoredWhileAnotherWriter…).
     * With the lock the second waits for the first to commit and then reads its rows, as one loop applies batches one
     * after the other. Finer guards (per person, per national doctor's day, per source) were not taken: a batch of
     * 5,000 deliveries would need thousands of locks, beyond what the server's shared lock table holds for every
     * connection, or a row lock written per person (docs/architecture.md, "What has a single writer"). A second
     * instance is a hot standby that decodes its batches while the first writes.
     */
    public static final String WRITE_LOCK = "billing projection writer";

    static void takeWriteLock(Connection c) throws SQLException {
        long t = StepTimings.start();
        AdvisoryLocks.lock(c, List.of(WRITE_LOCK));
        StepTimings.add("ingest.writeLock", t);
    }

    /**
     * How long a batch's transaction, which holds the {@link #WRITE_LOCK}, waits for a row of the event log that another
     * transaction holds. Only another instance's log beside its batch ({@link EventLogBeside}) can hold one (the same
     * record in both instances' batches: two versions of a record on two partitions, or a redelivery during a
     * rebalance), and it commits only after that instance's own batch transactions, which wait for this lock: a wait
     * cycle PostgreSQL cannot see. After this long the batch fails as transient (55P03, retried by the consumer loop),
     * which releases the lock; a wait that is no cycle (the other instance committing) ends well within it.
     */
    static final String EVENT_LOG_LOCK_TIMEOUT = "2s";

    /** The batch's event log in its transaction, which holds the write lock: see {@link #EVENT_LOG_LOCK_TIMEOUT}. */
    static void storeEventLog(Connection c, List<Delivery<HealthRecordEvent>> records) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("SET LOCAL lock_timeout = '" + EVENT_LOG_LOCK_TIMEOUT + "'");
            PersonEvents.store(c, records);
            st.execute("SET LOCAL lock_timeout = DEFAULT");
        }
    }

    /** What one transaction of a consumed batch applies. */
    public record Part(List<Delivery<HealthRecordEvent>> records, List<Delivery<MpiLinkEvent>> links) {
    }

    /**
     * The transactions a consumed batch is applied in, in order. A batch from the four topics nearly always mixes
     * encounters with a few other facts (attachments, insurance, deaths, stays, patients); applied together they
     * would all go the sequential way. Without identity repairs in the batch, the other facts go first in a
     * transaction of their own, and the encounters follow in a second, screened on the pipelined path against the
     * facts now committed. Each transaction is idempotent (versioned upserts, the event log), so when the second
     * fails the consumer's retry of the whole batch applies the first again to no effect; the offsets are committed
     * after both. A batch with identity repairs stays one transaction: the links must follow the batch's records.
     */
    public static List<Part> parts(List<Delivery<HealthRecordEvent>> records, List<Delivery<MpiLinkEvent>> links) {
        if (links.isEmpty()) {
            List<Delivery<HealthRecordEvent>> encounters = new ArrayList<>();
            List<Delivery<HealthRecordEvent>> others = new ArrayList<>();
            for (Delivery<HealthRecordEvent> d : records) {
                ("ENCOUNTER".equals(d.value().getRecordType()) ? encounters : others).add(d);
            }
            if (!encounters.isEmpty() && !others.isEmpty()) {
                return List.of(new Part(others, List.of()), new Part(encounters, List.of()));
            }
        }
        return List.of(new Part(records, links));
    }

    /**
     * A consumed batch. A full one ({@code billing.consumer.max-batch} deliveries: the consumer is behind) writes its
     * event log beside its transactions ({@link EventLogBeside}): billing's loop is then the end of the pipeline and
     * the log's insert off its serial path shortens it. A smaller one (the consumer keeps up) writes the log in its
     * transaction: there a faster loop only takes smaller batches, whose per-batch reads cost more CPU per record on a
     * busy machine (docs/benchmarks/pipeline.md, "The event log beside the projection").
     */
    public void handle(List<Delivery<SpecificRecordBase>> batch) throws Exception {
        handle(batch, batch.size() >= config.consumer().maxBatch());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    void handle(List<Delivery<SpecificRecordBase>> batch, boolean logBeside) throws Exception {
        List<Delivery<HealthRecordEvent>> records = new ArrayList<>();
        List<Delivery<MpiLinkEvent>> links = new ArrayList<>();
        for (Delivery d : batch) {
            if (d.value() instanceof HealthRecordEvent) {
                records.add(d);
            } else if (d.value() instanceof MpiLinkEvent) {
                links.add(d);
            }
        }
        // the prefetch runs on a pool thread, where no transaction is active: its connection is a separate, autocommit one
        OutsideConnection outside = new OutsideConnection() {
            @Override
            public <T> T with(SqlWork<T> work) throws Exception {
                try (Connection b = dataSource.getConnection()) {
                    return work.run(b);
                }
            }
        };
        // a full batch's event log beside the parts' transactions, committed after them (EventLogBeside); the loop's
        // thread is in no transaction here, so that connection is not enlisted in one
        try (EventLogBeside log = EventLogBeside.start(dataSource::getConnection, PREFETCH, logBeside ? records : List.of())) {
            for (Part part : parts(records, links)) {
                Map<String, Integer> raised = QuarkusTransaction.requiringNew().call(() -> {
                    try (Connection c = dataSource.getConnection()) {
                        return apply(c, outside, part.records(), part.links(), !logBeside);
                    }
                });
                // committed: now the flags count
                metrics.flagsRaised(raised);
            }
            log.commit();
        }
    }

    /**
     * The batch on {@code c}, in the caller's transaction. A batch of encounters only (no registry facts, no MPI links)
     * writes nothing the monitor reads except visit rows, and the visit upsert returns those: so the monitor's reads of
     * the touched persons and doctor-days are done from the committed state on {@code outside} while {@code c} writes
     * the event log and the projection, and completed with the written rows afterwards. Any other batch is done
     * sequentially on {@code c}. {@code outside} may be null (always sequential). Returns the fraud flags raised, by rule.
     * The event log is written on {@code c} here (benches and tests); the consumer's {@link #handle} writes a full
     * batch's beside.
     */
    public Map<String, Integer> apply(Connection c, OutsideConnection outside, List<Delivery<HealthRecordEvent>> records,
                                      List<Delivery<MpiLinkEvent>> links) throws Exception {
        return apply(c, outside, records, links, true);
    }

    /** As above; the batch's event log on {@code c} too when {@code eventLog}, else the caller writes it (handle). */
    private Map<String, Integer> apply(Connection c, OutsideConnection outside, List<Delivery<HealthRecordEvent>> records,
                                       List<Delivery<MpiLinkEvent>> links, boolean eventLog) throws Exception {
        takeWriteLock(c);
        if (outside != null && links.isEmpty() && !records.isEmpty()
                && records.stream().allMatch(d -> "ENCOUNTER".equals(d.value().getRecordType()))) {
            BillingProjection.Plan plan = projection.plan(c, records);
            // person rows first: the projection needs them as soon as it starts (after the event log, when that is written here)
            CompletableFuture<BillingProjection.Prefetched> people = new CompletableFuture<>();
            Future<FraudMonitor.Stored> stored = PREFETCH.submit(() -> {
                try {
                    return outside.with(b -> {
                        people.complete(BillingProjection.prefetchPeople(b, plan));
                        return fraudMonitor.readStored(b, plan.persons(), plan.doctorDays());
                    });
                } catch (Throwable e) {
                    people.completeExceptionally(e); // no connection, or the read failed: the batch fails, it does not wait
                    throw e;
                }
            });
            Affected affected;
            try {
                if (eventLog) {
                    storeEventLog(c, records);
                }
                affected = projection.applyHealthRecords(c, records, plan, people);
            } catch (Exception e) {
                stored.cancel(false);
                throw e;
            }
            long t = StepTimings.start();
            FraudMonitor.Stored prefetched;
            try {
                prefetched = stored.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            StepTimings.add("ingest.waitPrefetch", t);
            return fraudMonitor.rescreen(c, affected, prefetched);
        }
        if (eventLog && !records.isEmpty()) {
            storeEventLog(c, records);
        }
        Affected affected = projection.applyHealthRecords(c, records);
        // identity repairs after the records of the same batch, so a link can move a record that just arrived
        affected.add(projection.applyMpiLinks(c, links));
        return fraudMonitor.rescreen(c, affected);
    }
}
