package kz.ehr.events.kafka;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

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
import org.jboss.logging.Logger;

import kz.ehr.events.EventCodec;
import kz.ehr.events.Topics;

/**
 * poll → decode → handle the batch in one database transaction → commit offsets.
 * <p>
 * Offsets are committed only after the handler returned, so a crash replays the batch and the
 * (idempotent) handler changes nothing. A message that cannot be decoded, or that fails on its own
 * while the rest of its batch succeeds, goes to {@link Topics#DEAD_LETTER} with the reason and never
 * blocks its partition. When the database itself is unreachable the loop pauses and retries the same
 * batch until it is back: nothing is dead-lettered for an outage.
 */
public final class BatchConsumerLoop<T> implements Runnable, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BatchConsumerLoop.class);

    /** Applies a batch; must be transactional and idempotent. */
    @FunctionalInterface
    public interface BatchHandler<T> {
        void handle(List<Delivery<T>> batch) throws Exception;
    }

    /** One decoded message with where it came from. */
    public record Delivery<T>(String topic, int partition, long offset, String key, T value, byte[] raw) {
    }

    private final String groupId;
    private final Collection<String> topics;
    private final Function<String, EventCodec<?>> codecForTopic;
    private final BatchHandler<T> handler;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile javax.sql.DataSource database;
    private volatile boolean assigned;
    private volatile long processed;
    private volatile long deadLettered;

    public BatchConsumerLoop(String bootstrapServers, String groupId, Collection<String> topics,
                             Function<String, EventCodec<?>> codecForTopic, int maxPollRecords,
                             BatchHandler<T> handler) {
        this.groupId = groupId;
        this.topics = List.copyOf(topics);
        this.codecForTopic = codecForTopic;
        this.handler = handler;
        Properties cp = KafkaClients.consumer(bootstrapServers, groupId, maxPollRecords);
        this.consumer = new KafkaConsumer<>(cp, new org.apache.kafka.common.serialization.StringDeserializer(),
                new ByteArrayDeserializer());
        this.deadLetters = new KafkaProducer<>(KafkaClients.producer(bootstrapServers, groupId + "-dlq"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * The database the handler writes to. When a message fails, the loop first asks the database
     * whether it is reachable: an outage is waited out, never dead-lettered.
     */
    public BatchConsumerLoop<T> withDatabase(javax.sql.DataSource database) {
        this.database = database;
        return this;
    }

    /** Starts the loop on a daemon thread named after the group. */
    public BatchConsumerLoop<T> start() {
        Thread thread = new Thread(this, "consumer-" + groupId);
        thread.setDaemon(true);
        thread.start();
        return this;
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

    @Override
    public void run() {
        try {
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned = true;
                }
            });
            long backoffMs = 200;
            while (running.get()) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                    if (records.isEmpty()) {
                        continue;
                    }
                    List<Delivery<T>> batch = decode(records);
                    applyUntilDone(batch);
                    consumer.commitSync(nextOffsets(records));
                    processed += records.count();
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
                            groupId, rootMessage(e), backoffMs);
                    pauseQuietly(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 10_000);
                    rewindToCommitted();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.errorf(e, "consumer %s woken up unexpectedly", groupId);
            }
        } catch (Exception e) {
            LOG.errorf(e, "consumer %s stopped on an unexpected error", groupId);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (Exception ignored) {
                // closing after a failure
            }
            deadLetters.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    @SuppressWarnings("unchecked")
    private List<Delivery<T>> decode(ConsumerRecords<String, byte[]> records) {
        List<Delivery<T>> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                T value = (T) codecForTopic.apply(r.topic()).decode(r.value());
                batch.add(new Delivery<>(r.topic(), r.partition(), r.offset(), r.key(), value, r.value()));
            } catch (EventCodec.UndecodableEventException e) {
                deadLetter(r.topic(), r.partition(), r.offset(), r.key(), r.value(), e.code, e.getMessage());
            }
        }
        return batch;
    }

    /** Retries the batch while the database is down; isolates a message that fails on its own. */
    private void applyUntilDone(List<Delivery<T>> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        long backoffMs = 200;
        while (running.get()) {
            try {
                handler.handle(batch);
                return;
            } catch (Exception e) {
                if (isInfrastructureOutage(e) || (database == null ? failedAtCommit(e) : !databaseReachable())) {
                    LOG.warnf("consumer %s: database unavailable (%s); retrying in %d ms", groupId, rootMessage(e), backoffMs);
                    pauseFor(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 10_000);
                    continue;
                }
                if (batch.size() == 1) {
                    Delivery<T> d = batch.get(0);
                    LOG.errorf("consumer %s: message %s-%d@%d failed and goes to the dead-letter topic: %s",
                            groupId, d.topic(), d.partition(), d.offset(), rootMessage(e));
                    deadLetter(d.topic(), d.partition(), d.offset(), d.key(), d.raw(), "PROCESSING_FAILED", rootMessage(e));
                    return;
                }
                // one bad message must not sink the batch: split and retry the halves
                int mid = batch.size() / 2;
                applyUntilDone(batch.subList(0, mid));
                applyUntilDone(batch.subList(mid, batch.size()));
                return;
            }
        }
        throw new InterruptedException("consumer stopping");
    }

    private void pauseFor(long ms) throws InterruptedException {
        // keep the group membership alive while waiting for the database
        consumer.pause(consumer.assignment());
        try {
            long until = System.currentTimeMillis() + ms;
            while (System.currentTimeMillis() < until && running.get()) {
                consumer.poll(Duration.ofMillis(Math.min(100, ms)));
            }
        } finally {
            consumer.resume(consumer.assignment());
        }
    }

    /** Without a database to ask, a transaction that could not commit is taken for a lost connection. */
    static boolean failedAtCommit(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
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
        } catch (Exception e) {
            // still unreachable; the next iteration tries again
        }
    }

    private void rewindToCommitted() {
        try {
            var assignment = consumer.assignment();
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
            LOG.warnf("consumer %s: cannot read committed offsets yet (%s)", groupId, rootMessage(e));
        }
    }

    static boolean isInfrastructureOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SQLTransientException || t instanceof java.net.SocketException
                    || t instanceof java.io.EOFException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P")
                        || sql.getSQLState().equals("53300"))) {
                return true;
            }
            String name = t.getClass().getName();
            if (name.endsWith("JDBCConnectionException") || name.endsWith("AcquisitionTimeoutException")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private void deadLetter(String topic, int partition, long offset, String key, byte[] value, String code, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("x-original-topic", topic.getBytes(StandardCharsets.UTF_8));
        headers.add("x-original-partition", Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        headers.add("x-original-offset", Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        headers.add("x-consumer-group", groupId.getBytes(StandardCharsets.UTF_8));
        headers.add("x-error-code", code.getBytes(StandardCharsets.UTF_8));
        headers.add("x-error-reason", String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        try {
            // synchronous: the offset of a dead-lettered message is committed only once the DLQ has it
            deadLetters.send(new ProducerRecord<>(Topics.DEAD_LETTER.topic, null, keyBytes, value, headers))
                    .get(30, TimeUnit.SECONDS);
            deadLettered++;
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to the dead-letter topic; refusing to skip message "
                    + topic + "-" + partition + "@" + offset, e);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> list = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            stopped.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
