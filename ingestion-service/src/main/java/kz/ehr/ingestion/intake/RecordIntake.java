package kz.ehr.ingestion.intake;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.events.kafka.Failures;
import kz.ehr.events.Envelopes;
import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.ProviderRecord;
import kz.ehr.events.RejectedRecord;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.ingestion.config.IngestionConfig;
import kz.ehr.ingestion.idempotency.ContentHash;
import kz.ehr.ingestion.idempotency.RecordVersions;
import kz.ehr.ingestion.idempotency.SourceRecordStore;
import kz.ehr.ingestion.providers.ProviderKeys;
import kz.ehr.ingestion.publish.RecordPublisher;
import kz.ehr.ingestion.stats.BatchTally;
import kz.ehr.ingestion.stats.IngestionMetrics;
import kz.ehr.ingestion.stats.ProviderStatistics;
import kz.ehr.ingestion.validation.RecordError;
import kz.ehr.ingestion.validation.RecordValidator;
import kz.ehr.ingestion.validation.TypePermissions;
import kz.ehr.ingestion.validation.ValidatedRecord;
import kz.ehr.ingestion.validation.ValidationPolicy;

/**
 * The one path every provider record takes, from REST or Kafka, in one database transaction: validate → claim or lock
 * the batch's record ids and decide their versions (one statement per batch, a second when some ids were seen before:
 * {@link SourceRecordStore#decide}) → publish new and
 * changed records (and rejections) and wait for every ack → record the new versions and statistics → commit →
 * answer. The locks make version assignment atomic: two batches carrying the same record id (even on two instances)
 * take turns, so each new content gets its own version, N+1 then N+2. A crash between ack and commit is safe: the
 * resend decides the same version again and republishes the same event ids, which consumers dedupe.
 * A plain JDBC connection, not Panache: one transaction of array statements per batch, the hot path IngestionBenchmark measures (docs/benchmarks/ingestion-service.md, 1).
 */
@ApplicationScoped
public class RecordIntake {
    private static final Logger LOG = Logger.getLogger(RecordIntake.class);
    public static final String REST = "REST";
    public static final String KAFKA = "KAFKA";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    SourceRecordStore sourceRecords;
    @Inject
    ProviderStatistics statistics;
    @Inject
    ProviderKeys keys;
    @Inject
    RecordPublisher publisher;
    @Inject
    IngestionMetrics metrics;
    @Inject
    IngestionConfig config;

    private final EventCodec<HealthRecordEvent> events = EventCodec.of(HealthRecordEvent.class);
    private final EventCodec<RejectedRecord> rejectedEvents = EventCodec.of(RejectedRecord.class);
    private final AtomicLong batches = new AtomicLong();
    private volatile BatchParser parser;
    private volatile TypePermissions permissions;

    /** The database could not be read or written; the caller should retry the whole batch. */
    public static class StateUnavailableException extends RuntimeException {
        StateUnavailableException(Throwable cause) {
            super("ingestion state in PostgreSQL is unavailable", cause);
        }
    }

    public BatchParser parser() {
        if (parser == null) {
            parser = new BatchParser(config.maxNestingDepth());
        }
        return parser;
    }

    /** A misconfigured permission (an unknown type, a lone *) stops the start instead of the first record. */
    void checkPermissions(@Observes StartupEvent event) {
        permissions();
    }

    private TypePermissions permissions() {
        if (permissions == null) {
            permissions = new TypePermissions(config.restrictedTypes(), config.permittedSenders());
        }
        return permissions;
    }

    /** A batch prepared for one provider: what to publish, what to record, what to answer. */
    private static final class Prepared {
        final BatchTally tally;
        final List<ProducerRecord<String, byte[]>> outgoing = new ArrayList<>();
        final List<SourceRecordStore.Published> published = new ArrayList<>();
        final List<BatchOutcome.Rejection> rejections = new ArrayList<>();
        final List<BatchOutcome.Warning> warnings = new ArrayList<>();
        final Set<Integer> duplicateIndexes = new HashSet<>();
        Set<String> claimed = Set.of();

        Prepared(BatchTally tally) {
            this.tally = tally;
        }

        BatchOutcome outcome() {
            rejections.sort(Comparator.comparingInt(BatchOutcome.Rejection::index));
            return new BatchOutcome(tally.batchId, tally.accepted, tally.duplicates, rejections, warnings);
        }
    }

    /**
     * A REST batch of the authenticated provider.
     *
     * @throws RecordPublisher.KafkaUnavailableException nothing of the batch may be reported accepted
     * @throws StateUnavailableException                 the database failed; nothing was recorded
     */
    public BatchOutcome submit(String providerId, List<IncomingRecord> records) {
        return submitEach(providerId, records).outcome();
    }

    /** A submitted batch and which of its records (by {@link IncomingRecord#index()}) were duplicates. */
    public record Submitted(BatchOutcome outcome, Set<Integer> duplicateIndexes) {
    }

    /** {@link #submit}, for a caller that answers each record on its own (the FHIR intake: 201 new, 200 duplicate). */
    public Submitted submitEach(String providerId, List<IncomingRecord> records) {
        long started = System.nanoTime();
        String result = "ok";
        Instant now = Instant.now();
        String batchId = UUID.randomUUID().toString();
        AtomicReference<Prepared> published = new AtomicReference<>();
        try {
            Prepared p;
            try {
                // one transaction from the version decision to the recorded state: the batch's record ids stay locked
                // while Kafka acknowledges, so a concurrent resend of one of them decides after this one is recorded
                p = QuarkusTransaction.requiringNew().call(() -> {
                    try (Connection c = dataSource.getConnection()) {
                        Prepared q = prepare(c, providerId, REST, batchId, records, now);
                        publisher.publishAll(q.outgoing);
                        published.set(q);
                        writeState(c, q, now);
                        return q;
                    }
                });
            } catch (RecordPublisher.KafkaUnavailableException e) {
                result = "kafka_unavailable";
                throw e;
            } catch (RuntimeException e) {
                result = "database_unavailable";
                if (published.get() != null) {
                    // the records are in Kafka; a resend republishes the same event ids, which consumers dedupe
                    LOG.errorf("batch %s of %s was published but its state could not be recorded: %s", batchId, providerId,
                            Failures.redact(e));
                }
                throw new StateUnavailableException(e);
            }
            metrics.batch(p.tally);
            return new Submitted(p.outcome(), Set.copyOf(p.duplicateIndexes));
        } finally {
            metrics.batchTime(REST, result, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * A batch from provider.records.v1.&lt;providerId&gt; (or the shared provider.records.v1), in one database
     * transaction (BatchConsumerLoop commits offsets after it). The provider is the topic's (only its principal may
     * write there); a record naming another is rejected ({@code PROVIDER_MISMATCH}), as is one from a provider
     * that holds no active key, or whose envelope disagrees with its payload.
     */
    @Transactional
    public void consume(List<Delivery<ProviderRecord>> batch) throws SQLException {
        long started = System.nanoTime();
        Instant now = Instant.now();
        Map<String, List<IncomingRecord>> byProvider = new LinkedHashMap<>();
        List<ProducerRecord<String, byte[]>> strangers = new ArrayList<>();
        List<Prepared> prepared = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            Map<String, Boolean> active = new LinkedHashMap<>();
            for (Delivery<ProviderRecord> d : batch) {
                ProviderRecord r = d.value();
                // a provider's own topic is writable by its principal alone: the topic says who sent the record
                Optional<String> sender = Topics.providerOf(d.topic());
                String provider = sender.orElse(r.getProviderId());
                IncomingRecord incoming = parser().single((int) Math.min(Integer.MAX_VALUE, d.offset()),
                        r.getPayload().getBytes(StandardCharsets.UTF_8));
                if (!provider.equals(r.getProviderId())) {
                    strangers.add(rejectedRecord(provider, KAFKA, null, null, r.getRecordId(), incoming.payload(),
                            List.of(new RecordError("PROVIDER_MISMATCH", "providerId", "the record names provider \""
                                    + r.getProviderId() + "\" but came on " + d.topic() + ", which only provider \""
                                    + provider + "\" may write")), now));
                    continue;
                }
                if (!active.computeIfAbsent(provider, p -> isActive(c, p))) {
                    strangers.add(rejectedRecord(provider, KAFKA, null, null, r.getRecordId(), incoming.payload(),
                            List.of(new RecordError("UNKNOWN_PROVIDER", "providerId",
                                    "provider \"" + provider + "\" has no active key; it cannot submit records")), now));
                    continue;
                }
                if (incoming.json() != null && !r.getRecordId().equals(incoming.json().path("recordId").asText(null))) {
                    incoming = new IncomingRecord(incoming.index(), incoming.payload(), null, new RecordError("RECORD_ID_MISMATCH",
                            "recordId", "ProviderRecord.recordId \"" + r.getRecordId() + "\" differs from the payload's recordId"));
                }
                byProvider.computeIfAbsent(provider, p -> new ArrayList<>()).add(incoming);
            }
            // providers in name order: each batch locks its record ids in one order, (provider, record id)
            for (Map.Entry<String, List<IncomingRecord>> e : new java.util.TreeMap<>(byProvider).entrySet()) {
                prepared.add(prepare(c, e.getKey(), KAFKA, null, e.getValue(), now));
            }
            List<ProducerRecord<String, byte[]>> outgoing = new ArrayList<>(strangers);
            prepared.forEach(p -> outgoing.addAll(p.outgoing));
            publisher.publishAll(outgoing);
            for (Prepared p : prepared) {
                writeState(c, p, now);
            }
        }
        prepared.forEach(p -> metrics.batch(p.tally));
        metrics.batchTime(KAFKA, "ok", Duration.ofNanos(System.nanoTime() - started));
    }

    private boolean isActive(Connection c, String providerId) {
        try {
            return keys.isActiveProvider(c, providerId);
        } catch (SQLException e) {
            throw new StateUnavailableException(e);
        }
    }

    private Prepared prepare(Connection c, String providerId, String channel, String batchId, List<IncomingRecord> records,
                             Instant now) throws SQLException {
        ValidationPolicy policy = new ValidationPolicy(now, ZoneId.of(config.zone()), config.clockSkew());
        Prepared p = new Prepared(new BatchTally(providerId, channel, batchId, now));
        List<ValidatedRecord> valid = new ArrayList<>(records.size());
        List<IncomingRecord> validIncoming = new ArrayList<>(records.size());
        List<RecordVersions.Candidate> candidates = new ArrayList<>(records.size());
        for (IncomingRecord in : records) {
            if (in.parseError() != null) {
                reject(p, in, null, List.of(in.parseError()));
                continue;
            }
            ValidatedRecord v = RecordValidator.validate(providerId, in.json(), policy);
            if (!v.accepted()) {
                reject(p, in, v.recordId(), v.errors());
                continue;
            }
            Optional<RecordError> notPermitted = permissions().check(providerId, v.recordType());
            if (notPermitted.isPresent()) {
                reject(p, in, v.recordId(), List.of(notPermitted.get()));
                continue;
            }
            valid.add(v);
            validIncoming.add(in);
            candidates.add(new RecordVersions.Candidate(v.recordId(), ContentHash.of(in.json())));
        }
        SourceRecordStore.Decided decided = sourceRecords.decide(c, providerId, candidates,
                valid.stream().map(ValidatedRecord::recordType).toList(), now);
        p.claimed = decided.claimed();
        List<RecordVersions.Decision> decisions = decided.decisions();
        for (int i = 0; i < valid.size(); i++) {
            ValidatedRecord v = valid.get(i);
            RecordVersions.Decision d = decisions.get(i);
            if (d.outcome() == RecordVersions.Outcome.DUPLICATE) {
                p.tally.duplicates++;
                p.duplicateIndexes.add(validIncoming.get(i).index());
                continue;
            }
            HealthRecordEvent event = v.event();
            event.setRecordVersion(d.version());
            event.getEnvelope().setEventId(d.eventId());
            p.outgoing.add(new ProducerRecord<>(v.topic().topic, v.key(), events.encode(event)));
            p.published.add(new SourceRecordStore.Published(v.recordId(), candidates.get(i).contentHash(), d.version(),
                    d.eventId(), v.recordType()));
            p.tally.accepted++;
            if (d.outcome() == RecordVersions.Outcome.UPDATE) {
                p.tally.updates++;
            }
            p.tally.warned(v.warnings());
            if (!v.warnings().isEmpty()) {
                p.warnings.add(new BatchOutcome.Warning(validIncoming.get(i).index(), v.recordId(), v.warnings()));
            }
        }
        return p;
    }

    private void reject(Prepared p, IncomingRecord in, String recordId, List<RecordError> errors) {
        BatchTally t = p.tally;
        Integer index = REST.equals(t.channel) ? in.index() : null;
        t.rejected(index, recordId, errors, in.payload());
        p.rejections.add(new BatchOutcome.Rejection(in.index(), recordId, errors));
        p.outgoing.add(rejectedRecord(t.providerId, t.channel, t.batchId, index, recordId, in.payload(), errors, t.at));
    }

    private ProducerRecord<String, byte[]> rejectedRecord(String providerId, String channel, String batchId, Integer index,
                                                          String recordId, String payload, List<RecordError> errors, Instant now) {
        List<kz.ehr.events.RecordError> reasons = new ArrayList<>(errors.size());
        for (RecordError e : errors) {
            reasons.add(kz.ehr.events.RecordError.newBuilder().setCode(e.code()).setField(e.field()).setMessage(e.message()).build());
        }
        int max = config.rejectedTopicPayloadMaxChars();
        String kept = payload.length() > max ? payload.substring(0, max) : payload;
        RejectedRecord event = RejectedRecord.newBuilder()
                // the same bad payload resent gets the same event id
                .setEnvelope(Envelopes.of(Envelopes.stableEventId(providerId, "REJECTED", payload), "REJECTED", providerId,
                        recordId == null ? "" : recordId, now, now, null))
                .setChannel(channel).setBatchId(batchId).setIndex(index).setPayload(kept).setErrors(reasons).build();
        return new ProducerRecord<>(Topics.INGEST_REJECTED.topic, providerId, rejectedEvents.encode(event));
    }

    private void writeState(Connection c, Prepared p, Instant now) throws SQLException {
        sourceRecords.record(c, p.tally.providerId, p.published, p.claimed, now);
        statistics.add(c, p.tally);
        if (batches.incrementAndGet() % 1000 == 0) {
            // retention housekeeping rides along every thousandth batch instead of needing a scheduler
            try {
                statistics.prune(now);
            } catch (SQLException e) {
                LOG.warnf("pruning old rejections failed: %s", Failures.redact(e));
            }
        }
    }
}
