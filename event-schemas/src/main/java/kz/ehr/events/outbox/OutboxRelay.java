package kz.ehr.events.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import kz.ehr.events.kafka.Failures;
import kz.ehr.events.kafka.KafkaClients;

/**
 * Relays a service's transactional outbox ({@link Outbox}) to Kafka.
 * <ul>
 * <li><b>Commit order per key.</b> A pass reads the unsent rows in {@code commit_seq} order and sends them with one
 * idempotent producer (acks=all), which keeps their order within a partition. Nothing is skipped on the way: there
 * is no id watermark, a row of a transaction that commits later is simply found by a later pass, and for one key
 * the writer's lock makes {@code commit_seq} order commit order (see {@link Outbox}).</li>
 * <li><b>One relay per database.</b> A pass runs only while it holds a transaction-level advisory lock, so a second
 * instance of the service stands by instead of sending a key's rows out of order; it takes over at its next pass
 * when the first stops.</li>
 * <li><b>A row that cannot be published is set aside</b>, not retried for ever: one the producer or broker refuses
 * for what it is (too large, invalid topic, invalid record) gets {@code failed_at} and a stable {@code error_code}
 * and the pass goes on with the rest. A failure of the broker or the network rolls the pass back; its rows are sent
 * again (consumers deduplicate by the envelope's event id).</li>
 * <li><b>Sent rows are pruned</b> once older than the retention, a bounded number per pass.</li>
 * </ul>
 * Plain JDBC, not entities: this jar has no ORM; a pass is an advisory lock, an ordered batch read and batched updates.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** Taken with pg_try_advisory_xact_lock: the same number in every service, each has its own database. */
    static final long RELAY_LOCK = 0x6568725f6f7574L; // "ehr_out"
    private static final int PRUNE_ROWS_PER_PASS = 10_000;
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    /** Stable codes of a set-aside row ({@code outbox.error_code}). */
    public static final String RECORD_TOO_LARGE = "RECORD_TOO_LARGE";
    public static final String INVALID_TOPIC = "INVALID_TOPIC";
    public static final String INVALID_RECORD = "INVALID_RECORD";
    /** The broker's ACLs do not let this service write the row's topic: resending cannot help until they change. */
    public static final String TOPIC_NOT_AUTHORIZED = "TOPIC_NOT_AUTHORIZED";

    private final DataSource dataSource;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration retention;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong setAside = new AtomicLong();
    private final AtomicLong pruned = new AtomicLong();
    private volatile boolean running = true;
    private volatile Instant lastPrune = Instant.EPOCH;

    /**
     * @param name      names the producer's client id and the relay thread, e.g. {@code "billing-outbox"}
     * @param retention how long a sent row is kept before it is pruned
     */
    public OutboxRelay(DataSource dataSource, KafkaClients kafka, String name, int batchSize, Duration pollInterval,
                       Duration retention) {
        this.dataSource = dataSource;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.retention = retention;
        this.producer = kafka.producer(name, new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::loop, name + "-relay");
        this.thread.setDaemon(true);
    }

    public OutboxRelay start() {
        thread.start();
        return this;
    }

    /** Rows this relay sent, set aside and pruned since it started. */
    public long sent() {
        return sent.get();
    }

    public long setAside() {
        return setAside.get();
    }

    public long pruned() {
        return pruned.get();
    }

    private void loop() {
        Duration backoff = pollInterval;
        while (running) {
            try {
                int done = relayOnce();
                if (Duration.between(lastPrune, Instant.now()).compareTo(PRUNE_EVERY) >= 0) {
                    prune();
                }
                backoff = pollInterval;
                if (done < batchSize) {
                    Thread.sleep(pollInterval.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warnf("outbox relay pass failed, retrying in %d ms: %s", backoff.toMillis(), Failures.redact(e));
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private record Pending(long id, Future<RecordMetadata> ack, String refused) {
    }

    /**
     * One pass: the oldest unsent rows in commit order are sent, every ack awaited; rows acknowledged are marked
     * sent, rows refused for what they are are set aside, in one transaction. Returns how many rows it settled
     * (0 when another instance holds the relay lock).
     */
    public int relayOnce() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!tryRelayLock(c)) {
                    c.rollback();
                    return 0;
                }
                List<Pending> pending = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, topic, event_key, payload FROM outbox "
                        + "WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY commit_seq LIMIT ?")) {
                    ps.setInt(1, batchSize);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long id = rs.getLong(1);
                            try {
                                pending.add(new Pending(id, producer.send(new ProducerRecord<>(rs.getString(2),
                                        rs.getString(3).getBytes(StandardCharsets.UTF_8), rs.getBytes(4))), null));
                            } catch (RuntimeException e) {
                                String code = refusal(e);
                                if (code == null) {
                                    throw e;
                                }
                                pending.add(new Pending(id, null, code));
                            }
                        }
                    }
                }
                List<Long> ok = new ArrayList<>();
                List<Long> refusedIds = new ArrayList<>();
                List<String> refusedCodes = new ArrayList<>();
                for (Pending p : pending) {
                    String code = p.refused();
                    if (code == null) {
                        try {
                            p.ack().get(30, TimeUnit.SECONDS);
                            ok.add(p.id());
                            continue;
                        } catch (ExecutionException e) {
                            code = refusal(e.getCause());
                            if (code == null) {
                                throw e;
                            }
                        }
                    }
                    LOG.errorf("outbox row %d cannot be published (%s); it is set aside and the relay goes on", p.id(), code);
                    refusedIds.add(p.id());
                    refusedCodes.add(code);
                }
                mark(c, ok, refusedIds, refusedCodes);
                c.commit();
                sent.addAndGet(ok.size());
                setAside.addAndGet(refusedIds.size());
                return pending.size();
            } catch (Exception e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    /** The stable code when Kafka refuses the row itself (sending it again cannot help); null otherwise. */
    static String refusal(Throwable e) {
        if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException) {
            return RECORD_TOO_LARGE;
        }
        if (e instanceof InvalidTopicException) {
            return INVALID_TOPIC;
        }
        if (e instanceof InvalidRecordException || e instanceof SerializationException) {
            return INVALID_RECORD;
        }
        if (e instanceof TopicAuthorizationException) {
            return TOPIC_NOT_AUTHORIZED;
        }
        return null;
    }

    private static boolean tryRelayLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, RELAY_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void mark(Connection c, List<Long> ok, List<Long> refused, List<String> codes) throws SQLException {
        if (!ok.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET sent_at = now() WHERE id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", ok.toArray()));
                ps.executeUpdate();
            }
        }
        if (!refused.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE outbox o SET failed_at = now(), error_code = x.code
                    FROM unnest(?::bigint[], ?::text[]) AS x(id, code) WHERE o.id = x.id""")) {
                ps.setArray(1, c.createArrayOf("bigint", refused.toArray()));
                ps.setArray(2, c.createArrayOf("text", codes.toArray()));
                ps.executeUpdate();
            }
        }
    }

    /** Deletes up to a bounded number of rows sent longer ago than the retention; returns how many. */
    public int prune() throws SQLException {
        lastPrune = Instant.now();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE sent_at < ? ORDER BY sent_at LIMIT ?)""")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now().minus(retention)));
            ps.setInt(2, PRUNE_ROWS_PER_PASS);
            int n = ps.executeUpdate();
            pruned.addAndGet(n);
            return n;
        }
    }

    /**
     * Puts set-aside row {@code id} back in the queue after ops fixed its cause (e.g. raised the topic's
     * {@code max.message.bytes}, granted the topic): the next pass sends it. It keeps its {@code commit_seq}, so it goes
     * before the rows still waiting, but after the rows of its key that were sent while it stood aside. False when no
     * such row is set aside (unknown, already requeued, or sent).
     */
    public static boolean requeue(DataSource dataSource, long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE outbox SET failed_at = NULL, error_code = NULL WHERE id = ? AND failed_at IS NOT NULL AND sent_at IS NULL")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** What the outbox holds now, for metrics and the ops read. */
    public static OutboxStatus status(DataSource dataSource, int setAsideLimit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long unsent;
            Instant oldestUnsent;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*), min(created_at) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                unsent = rs.getLong(1);
                Timestamp t = rs.getTimestamp(2);
                oldestUnsent = t == null ? null : t.toInstant();
            }
            List<OutboxStatus.SetAside> rows = new ArrayList<>();
            long setAsideCount;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                setAsideCount = rs.getLong(1);
            }
            // no event_key: for certificates it is an IIN
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, event_id, topic, error_code, octet_length(payload), created_at, failed_at FROM outbox
                    WHERE failed_at IS NOT NULL ORDER BY id DESC LIMIT ?""")) {
                ps.setInt(1, setAsideLimit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new OutboxStatus.SetAside(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getInt(5), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant()));
                    }
                }
            }
            return new OutboxStatus(unsent, oldestUnsent, setAsideCount, rows);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the database rolled back for us
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
