package kz.ehr.events.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import kz.ehr.events.EventCodec;
import kz.ehr.events.Topics;

/**
 * poll → decode → handle the batch in one database transaction → commit offsets.
 * <p>
 * What it guarantees:
 * <ul>
 * <li><b>No message is skipped.</b> Offsets are committed only after the handler returned, and only for partitions
 * the loop still owns; a crash, a refused commit or a rebalance replays from the last commit and the (idempotent)
 * handler changes nothing. While the loop waits out a failure it keeps polling to stay in its group, with every
 * partition paused — also those a rebalance assigns meanwhile — and if such a poll returns records anyway, their
 * partitions are sought back to the first of them. Records of partitions revoked during the wait are left to
 * their new owner.</li>
 * <li><b>Only bad messages are dead-lettered.</b> A transient failure ({@link Failures#isTransient}: an outage, a
 * deadlock, a serialization failure, a lock or statement timeout, a full disk…) retries the same batch with
 * backoff, as does any failure while the {@link #withDatabase database} does not answer. A batch that fails
 * otherwise is split until the failing message is alone; it goes to its service's dead-letter topic
 * ({@link Topics#deadLetterTopicOfGroup}) with a stable {@code x-error-code} (the codec's code,
 * {@code CONSTRAINT_VIOLATION}, {@code INVALID_DATA}, or {@code PROCESSING_FAILED} after a few attempts) while the
 * rest of its batch is applied.</li>
 * <li><b>Dead letters come back the way they came.</b> {@link #replay} hands dead letters back to this loop after a
 * fix: its own thread decodes them with the source topic's codec and applies them through the same handler, with the
 * same retries, as if they had just been polled from their source partition (so ingestion still takes the provider
 * from the source topic). A replay that fails again is reported, not dead-lettered a second time.</li>
 * <li><b>No patient data in logs or headers</b>: failures are described by {@link Failures#redact}.</li>
 * <li><b>Truthful health</b>: {@link #health()} tells whether the thread runs, its lag, and when it last made
 * progress; the thread publishes them, so any thread may read them.</li>
 * </ul>
 */
public final class BatchConsumerLoop<T> implements Runnable, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BatchConsumerLoop.class);
    /** A single message failing for no recognised reason is tried this often before it is dead-lettered. */
    static final int UNEXPLAINED_ATTEMPTS = 3;
    private static final long LAG_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Duration CLIENT_CALL_TIMEOUT = Duration.ofSeconds(2);

    /** Applies a batch; must be transactional and idempotent. */
    @FunctionalInterface
    public interface BatchHandler<T> {
        void handle(List<Delivery<T>> batch) throws Exception;
    }

    /** One decoded message with where it came from. */
    public record Delivery<T>(String topic, int partition, long offset, String key, T value, byte[] raw) {
    }

    /** A dead letter handed back: where the message was first read (its source), its key and its original bytes. */
    public record Replay(String topic, int partition, long offset, String key, byte[] value) {
    }

    /** What became of one replayed message: applied, or the code and redacted reason it failed on again. */
    public record ReplayOutcome(boolean applied, String errorCode, String reason) {
        static final ReplayOutcome APPLIED = new ReplayOutcome(true, null, null);
    }

    /** What to do with a message that failed on its own: dead-letter it, or (a replay) report it. */
    private interface Poison<T> {
        void failed(Delivery<T> d, String code, String reason);
    }

    private record PendingReplay(List<Replay> items, CompletableFuture<List<ReplayOutcome>> done) {
    }

    private final String groupId;
    private final Collection<String> topics;
    private final Pattern topicPattern;
    private final Function<String, EventCodec<?>> codecForTopic;
    private final BatchHandler<T> handler;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final String deadLetterTopic;
    private final ConcurrentLinkedQueue<PendingReplay> replays = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Clock clock = Clock.systemUTC();
    private volatile javax.sql.DataSource database;
    private TopicAlignment alignment;
    private volatile Thread thread;
    private volatile boolean assigned;
    private volatile long processed;
    private volatile long deadLettered;
    private volatile long lag = -1;
    private volatile Instant lastProgress = clock.instant();
    private volatile String failure;

    // owned by the loop thread (the rebalance listener runs on it, inside poll)
    private final Set<TopicPartition> revokedDuringBatch = new HashSet<>();
    private final Map<TopicPartition, Long> pendingFrom = new HashMap<>();
    private boolean waiting;
    private boolean assignmentChanged = true;
    private long lagReadAt;

    public BatchConsumerLoop(KafkaClients clients, String groupId, Collection<String> topics,
                             Function<String, EventCodec<?>> codecForTopic, int maxPollRecords,
                             BatchHandler<T> handler) {
        this(clients, groupId, List.copyOf(topics), null, codecForTopic, maxPollRecords, handler);
    }

    /** Subscribes to every topic matching {@code topics}, those created later included (seen at the next metadata refresh). */
    public BatchConsumerLoop(KafkaClients clients, String groupId, Pattern topics,
                             Function<String, EventCodec<?>> codecForTopic, int maxPollRecords,
                             BatchHandler<T> handler) {
        this(clients, groupId, null, topics, codecForTopic, maxPollRecords, handler);
    }

    private BatchConsumerLoop(KafkaClients clients, String groupId, Collection<String> topics, Pattern topicPattern,
                              Function<String, EventCodec<?>> codecForTopic, int maxPollRecords,
                              BatchHandler<T> handler) {
        this.groupId = groupId;
        this.topics = topics;
        this.topicPattern = topicPattern;
        this.codecForTopic = codecForTopic;
        this.handler = handler;
        this.consumer = clients.consumer(groupId, maxPollRecords, new StringDeserializer(), new ByteArrayDeserializer());
        this.deadLetters = clients.producer(groupId + "-dlq", new ByteArraySerializer(), new ByteArraySerializer());
        this.deadLetterTopic = Topics.deadLetterTopicOfGroup(groupId);
    }

    /**
     * The database the handler writes to. When a message fails for no recognised reason, the loop first asks the
     * database whether it is reachable: an outage is waited out, never dead-lettered.
     */
    public BatchConsumerLoop<T> withDatabase(javax.sql.DataSource database) {
        this.database = database;
        return this;
    }

    /**
     * Reads {@code followers} no further ahead in time than {@code leaders} ({@link TopicAlignment}): a follower record
     * is handed over once every leader partition the loop owns has been read past its timestamp plus {@code slack}, or
     * has nothing left to read, or once it waited while the leaders did not move for {@code maxHold}. Call before
     * {@link #start}.
     */
    public BatchConsumerLoop<T> alignedTo(Set<String> leaders, Set<String> followers, Duration slack, Duration maxHold) {
        this.alignment = new TopicAlignment(leaders, followers, slack.toMillis(), maxHold.toMillis());
        return this;
    }

    /** Starts the loop on a daemon thread named after the group. */
    public BatchConsumerLoop<T> start() {
        Thread t = new Thread(this, "consumer-" + groupId);
        t.setDaemon(true);
        thread = t;
        t.start();
        return this;
    }

    public String groupId() {
        return groupId;
    }

    /** Where this loop's dead letters go: its service's {@code deadletter.v1.<principal>}. */
    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    /** {@code value} as this loop's codec for {@code topic} reads it; throws the codec's undecodable exception. */
    public Object decode(String topic, byte[] value) {
        return codecForTopic.apply(topic).decode(value);
    }

    /**
     * Hands dead letters back to this loop: its thread applies them between two polls, through the handler, with
     * the retries of any batch; the future answers one outcome per item, in order. It fails if the loop stops first.
     */
    public CompletableFuture<List<ReplayOutcome>> replay(List<Replay> items) {
        CompletableFuture<List<ReplayOutcome>> done = new CompletableFuture<>();
        if (!health().alive()) {
            done.completeExceptionally(new IllegalStateException("consumer loop " + groupId + " is not running"));
            return done;
        }
        replays.add(new PendingReplay(List.copyOf(items), done));
        return done;
    }

    public boolean isAssigned() {
        return assigned;
    }

    public long processed() {
        return processed;
    }

    public long deadLettered() {
        return deadLettered;
    }

    /** What the loop thread last published; see {@link ConsumerLoopHealth#ready}. */
    public ConsumerLoopHealth health() {
        Thread t = thread;
        return new ConsumerLoopHealth(groupId, t != null && t.isAlive() && stopped.getCount() > 0, lag, lastProgress, failure);
    }

    @Override
    public void run() {
        lastProgress = clock.instant();
        try {
            if (topicPattern != null) {
                consumer.subscribe(topicPattern, new Rebalance());
            } else {
                consumer.subscribe(topics, new Rebalance());
            }
            long backoffMs = 200;
            while (running.get()) {
                try {
                    Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records = align(consumer.poll(Duration.ofMillis(500)));
                    if (!records.isEmpty()) {
                        handle(records);
                    }
                    applyReplays();
                    refreshLag();
                    backoffMs = 200;
                } catch (WakeupException e) {
                    throw e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (Exception e) {
                    // broker unreachable, commit refused after a rebalance, dead-letter topic unavailable:
                    // go back to the last committed offsets and try again; handlers are idempotent
                    LOG.warnf("consumer %s: %s; re-reading from the last committed offsets in %d ms",
                            groupId, Failures.redact(e), backoffMs);
                    pauseQuietly(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 10_000);
                    rewindToCommitted();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                failure = "woken up unexpectedly";
                LOG.errorf("consumer %s woken up unexpectedly; it stops", groupId);
            }
        } catch (Throwable e) {
            // not rethrown: the default handler would print the messages, and they may quote patient data
            failure = Failures.redact(e);
            LOG.errorf("consumer %s stopped on an unexpected error: %s", groupId, failure);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (Exception ignored) {
                // closing after a failure
            }
            deadLetters.close(Duration.ofSeconds(5));
            stopped.countDown();
            for (PendingReplay p; (p = replays.poll()) != null; ) {
                p.done().completeExceptionally(new IllegalStateException("consumer loop " + groupId + " stopped"));
            }
        }
    }

    /**
     * The polled records by partition, in the poll's order; with an {@link #alignedTo alignment}, without the follower
     * records that must wait for the leaders: their partitions are sought back to the first of them and paused. The
     * waiting partitions the leaders have now caught up with, or that waited long enough, are resumed for the next poll.
     */
    private Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> align(ConsumerRecords<String, byte[]> polled) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> out = new LinkedHashMap<>();
        if (alignment == null) {
            polled.partitions().forEach(tp -> out.put(tp, polled.records(tp)));
            return out;
        }
        for (TopicPartition tp : polled.partitions()) {
            if (alignment.isLeader(tp)) {
                List<ConsumerRecord<String, byte[]>> list = polled.records(tp);
                alignment.leaderRead(tp, list.get(list.size() - 1).timestamp());
            }
        }
        long now = System.currentTimeMillis();
        long watermark = alignment.watermark(consumer.assignment(), this::caughtUp, now);
        for (TopicPartition tp : polled.partitions()) {
            List<ConsumerRecord<String, byte[]>> list = polled.records(tp);
            int n = alignment.isFollower(tp) ? alignment.releasable(tp, list, watermark, now) : list.size();
            if (n < list.size()) {
                consumer.seek(tp, list.get(n).offset());
                consumer.pause(List.of(tp));
            }
            if (n > 0) {
                out.put(tp, n == list.size() ? list : list.subList(0, n));
            }
        }
        Set<TopicPartition> resumable = alignment.resumable(watermark, now);
        resumable.retainAll(consumer.assignment());
        if (!resumable.isEmpty()) {
            consumer.resume(resumable);
        }
        return out;
    }

    /** Nothing left to read in the partition as far as the last fetch knew (unknown: not caught up). */
    private boolean caughtUp(TopicPartition tp) {
        OptionalLong lag = consumer.currentLag(tp);
        return lag.isPresent() && lag.getAsLong() == 0;
    }

    private void handle(Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records) throws InterruptedException {
        revokedDuringBatch.clear();
        pendingFrom.clear();
        for (Map.Entry<TopicPartition, List<ConsumerRecord<String, byte[]>>> e : records.entrySet()) {
            pendingFrom.put(e.getKey(), e.getValue().get(0).offset());
        }
        applyUntilDone(decode(records), true, (d, code, reason) ->
                deadLetter(d.topic(), d.partition(), d.offset(), d.key(), d.raw(), code, reason));
        Set<TopicPartition> owned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        long count = 0;
        for (Map.Entry<TopicPartition, List<ConsumerRecord<String, byte[]>>> e : records.entrySet()) {
            TopicPartition tp = e.getKey();
            if (owned.contains(tp) && !revokedDuringBatch.contains(tp)) {
                List<ConsumerRecord<String, byte[]>> list = e.getValue();
                offsets.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
                count += list.size();
            }
        }
        if (!offsets.isEmpty()) {
            // a CommitFailedException here goes to the caller, which rewinds to the committed offsets
            consumer.commitSync(offsets);
        }
        pendingFrom.clear();
        if (count > 0) {
            processed += count;
            lastProgress = clock.instant();
        }
    }

    private List<Delivery<T>> decode(Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records) {
        List<Delivery<T>> batch = new ArrayList<>();
        for (List<ConsumerRecord<String, byte[]>> partition : records.values()) {
            for (ConsumerRecord<String, byte[]> r : partition) {
                decodeInto(batch, r);
            }
        }
        return batch;
    }

    @SuppressWarnings("unchecked")
    private void decodeInto(List<Delivery<T>> batch, ConsumerRecord<String, byte[]> r) {
        try {
            T value = (T) codecForTopic.apply(r.topic()).decode(r.value());
            batch.add(new Delivery<>(r.topic(), r.partition(), r.offset(), r.key(), value, r.value()));
        } catch (EventCodec.UndecodableEventException e) {
            LOG.errorf("consumer %s: message %s-%d@%d cannot be decoded and goes to the dead-letter topic: %s",
                    groupId, r.topic(), r.partition(), r.offset(), Failures.redact(e));
            deadLetter(r.topic(), r.partition(), r.offset(), r.key(), r.value(), e.code, Failures.redact(e));
        }
    }

    /** Applies what {@link #replay} handed in, on the loop thread, as the poll that first read them would have. */
    @SuppressWarnings("unchecked")
    private void applyReplays() throws InterruptedException {
        for (PendingReplay p; (p = replays.peek()) != null; ) {
            List<ReplayOutcome> outcomes = new ArrayList<>();
            List<Delivery<T>> batch = new ArrayList<>();
            Map<Delivery<T>, Integer> index = new java.util.IdentityHashMap<>();
            for (Replay r : p.items()) {
                try {
                    T value = (T) codecForTopic.apply(r.topic()).decode(r.value());
                    Delivery<T> d = new Delivery<>(r.topic(), r.partition(), r.offset(), r.key(), value, r.value());
                    index.put(d, outcomes.size());
                    batch.add(d);
                    outcomes.add(ReplayOutcome.APPLIED);
                } catch (EventCodec.UndecodableEventException e) {
                    outcomes.add(new ReplayOutcome(false, e.code, Failures.redact(e)));
                }
            }
            try {
                applyUntilDone(batch, false, (d, code, reason) -> outcomes.set(index.get(d), new ReplayOutcome(false, code, reason)));
            } catch (InterruptedException e) {
                // stopping: close() fails what is still queued
                throw e;
            } catch (RuntimeException e) {
                replays.poll();
                p.done().completeExceptionally(new IllegalStateException("replay failed: " + Failures.redact(e)));
                continue;
            }
            replays.poll();
            p.done().complete(outcomes);
        }
    }

    /**
     * Retries the batch while the failure is transient; isolates a message that fails on its own and hands it to
     * {@code poison}. {@code polled}: the batch came from this loop's partitions, so messages of partitions revoked
     * meanwhile are left to their new owner (a replay is applied whoever owns its partition now).
     */
    private void applyUntilDone(List<Delivery<T>> deliveries, boolean polled, Poison<T> poison) throws InterruptedException {
        List<Delivery<T>> batch = deliveries;
        long backoffMs = 200;
        int unexplained = 0;
        while (running.get()) {
            if (polled) {
                batch = stillOwned(batch);
            }
            if (batch.isEmpty()) {
                return;
            }
            try {
                handler.handle(batch);
                return;
            } catch (Exception e) {
                boolean content = Failures.isContentFailure(e);
                if (Failures.isTransient(e) || (!content && (database == null ? failedAtCommit(e) : !databaseReachable()))) {
                    LOG.warnf("consumer %s: transient failure (%s); retrying %d messages in %d ms",
                            groupId, Failures.redact(e), batch.size(), backoffMs);
                    pauseFor(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 10_000);
                    continue;
                }
                if (batch.size() > 1) {
                    // one bad message must not sink the batch: split and retry the halves
                    int mid = batch.size() / 2;
                    applyUntilDone(batch.subList(0, mid), polled, poison);
                    applyUntilDone(batch.subList(mid, batch.size()), polled, poison);
                    return;
                }
                Delivery<T> d = batch.get(0);
                if (!content && ++unexplained < UNEXPLAINED_ATTEMPTS) {
                    LOG.warnf("consumer %s: message %s-%d@%d failed (%s); attempt %d of %d in %d ms",
                            groupId, d.topic(), d.partition(), d.offset(), Failures.redact(e), unexplained + 1,
                            UNEXPLAINED_ATTEMPTS, backoffMs);
                    pauseFor(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 10_000);
                    continue;
                }
                String reason = Failures.redact(e);
                LOG.errorf("consumer %s: message %s-%d@%d failed%s: %s", groupId, d.topic(), d.partition(), d.offset(),
                        polled ? " and goes to the dead-letter topic" : " again on replay", reason);
                poison.failed(d, Failures.deadLetterCode(e), reason);
                return;
            }
        }
        throw new InterruptedException("consumer stopping");
    }

    /** Messages of partitions revoked while waiting are the new owner's: it re-reads them from the committed offset. */
    private List<Delivery<T>> stillOwned(List<Delivery<T>> batch) {
        if (revokedDuringBatch.isEmpty()) {
            return batch;
        }
        return batch.stream().filter(d -> !revokedDuringBatch.contains(new TopicPartition(d.topic(), d.partition()))).toList();
    }

    /**
     * Waits while staying in the group: polls with every partition paused, so positions do not move. A partition a
     * rebalance assigns meanwhile is paused as it arrives; records a poll returns anyway are sought back to.
     */
    private void pauseFor(long ms) throws InterruptedException {
        waiting = true;
        consumer.pause(consumer.assignment());
        try {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            while (System.nanoTime() < until && running.get()) {
                ConsumerRecords<String, byte[]> unexpected = consumer.poll(Duration.ofMillis(Math.min(100, ms)));
                for (TopicPartition tp : unexpected.partitions()) {
                    long first = unexpected.records(tp).get(0).offset();
                    LOG.warnf("consumer %s: %s returned while paused; back to offset %d", groupId, tp, first);
                    consumer.seek(tp, first);
                }
                consumer.pause(consumer.assignment());
                refreshLag();
            }
        } finally {
            waiting = false;
            consumer.resume(consumer.assignment());
        }
    }

    /** Tracks what a rebalance takes away mid-batch and keeps what it brings paused while waiting. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revokedDuringBatch.addAll(partitions);
            partitions.forEach(pendingFrom::remove);
            if (alignment != null) {
                alignment.forget(partitions);
            }
            assignmentChanged = true;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = true;
            assignmentChanged = true;
            if (waiting) {
                consumer.pause(partitions);
            }
        }
    }

    /**
     * Publishes the lag: for each assigned partition, log end minus the next offset to handle (the first of a batch
     * still in hand, else the position). Read at a low rate from the loop thread, the only one the client allows.
     */
    private void refreshLag() {
        long now = System.nanoTime();
        if (!assignmentChanged && now - lagReadAt < LAG_REFRESH_NANOS) {
            return;
        }
        lagReadAt = now;
        assignmentChanged = false;
        Set<TopicPartition> assignment = consumer.assignment();
        try {
            long total = 0;
            if (!assignment.isEmpty()) {
                Map<TopicPartition, Long> ends = consumer.endOffsets(assignment, CLIENT_CALL_TIMEOUT);
                for (TopicPartition tp : assignment) {
                    Long end = ends.get(tp);
                    Long next = pendingFrom.get(tp);
                    if (end != null) {
                        total += Math.max(0, end - (next != null ? next : consumer.position(tp, CLIENT_CALL_TIMEOUT)));
                    }
                }
            }
            lag = total;
            if (total == 0) {
                lastProgress = clock.instant();
            }
        } catch (WakeupException e) {
            throw e;
        } catch (Exception e) {
            lag = -1;
        }
    }

    /** Without a database to ask, a transaction that could not commit is taken for a lost connection. */
    static boolean failedAtCommit(Throwable e) {
        for (Throwable t : Failures.chain(e)) {
            if (t.getClass().getName().endsWith("RollbackException")) {
                return true;
            }
        }
        return false;
    }

    private boolean databaseReachable() {
        javax.sql.DataSource ds = database;
        if (ds == null) {
            return true;
        }
        try (java.sql.Connection c = ds.getConnection()) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    private void pauseQuietly(long ms) {
        try {
            pauseFor(ms);
        } catch (WakeupException e) {
            throw e;
        } catch (Exception e) {
            // still unreachable; the next iteration tries again
        }
    }

    private void rewindToCommitted() {
        pendingFrom.clear();
        if (alignment != null) {
            alignment.forgetAll();
        }
        assignmentChanged = true;
        try {
            Set<TopicPartition> assignment = consumer.assignment();
            if (assignment.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment, Duration.ofSeconds(10));
            for (TopicPartition tp : assignment) {
                OffsetAndMetadata offset = committed.get(tp);
                if (offset == null) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, offset.offset());
                }
            }
        } catch (WakeupException e) {
            throw e;
        } catch (Exception e) {
            LOG.warnf("consumer %s: cannot read committed offsets yet (%s)", groupId, Failures.redact(e));
        }
    }

    private void deadLetter(String topic, int partition, long offset, String key, byte[] value, String code, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("x-original-topic", topic.getBytes(StandardCharsets.UTF_8));
        headers.add("x-original-partition", Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        headers.add("x-original-offset", Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        headers.add("x-consumer-group", groupId.getBytes(StandardCharsets.UTF_8));
        headers.add("x-error-code", code.getBytes(StandardCharsets.UTF_8));
        headers.add("x-error-reason", reason.getBytes(StandardCharsets.UTF_8));
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        try {
            // synchronous: the offset of a dead-lettered message is committed only once the DLQ has it
            deadLetters.send(new ProducerRecord<>(deadLetterTopic, null, keyBytes, value, headers))
                    .get(30, TimeUnit.SECONDS);
            deadLettered++;
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to the dead-letter topic; refusing to skip message "
                    + topic + "-" + partition + "@" + offset, e);
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            consumer.wakeup();
        } catch (RuntimeException alreadyClosed) {
            // the thread stopped on its own and closed the client
        }
        try {
            stopped.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
