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
                    PersonEvents.store(c, records);
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
            PersonEvents.store(c, records);
        }
        Affected affected = projection.applyHealthRecords(c, records);
        // identity repairs after the records of the same batch, so a link can move a record that just arrived
        affected.add(projection.applyMpiLinks(c, links));
        return fraudMonitor.rescreen(c, affected);
    }
}
