package kz.ehr.events.deadletter;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.events.kafka.Failures;
import kz.ehr.events.kafka.KafkaClients;

/**
 * One service's dead letters ({@code deadletter.v1.<service>}): read them, and replay them after a fix.
 * <p>
 * A replay hands the original bytes back to the consumer loop of the dead letter's group
 * ({@link BatchConsumerLoop#replay}), which applies them through its handler as if just polled from the source
 * partition; nothing is written back to a source topic, so the service needs no WRITE on what it consumes, and the
 * other groups of that topic do not see the message twice.
 * <p>
 * <b>Replayed once.</b> The replay ledger ({@code dead_letter_replay} in the service's database, one row per
 * consumer group and source topic/partition/offset) is claimed in a transaction that stays open while the loop applies
 * the messages, and commits only for those applied: a second replay of the same message (another request, another
 * instance, another copy of the dead letter) waits on that row and then finds it taken; a replay that failed, timed
 * out or died with its instance leaves no row, so it can be replayed again. If the handler committed and the ledger
 * did not, the next replay applies the message a second time, which the handlers' idempotence (per event id) absorbs.
 * Plain JDBC, not Panache: this jar has no ORM, and the claim must hold its row locks across the loop's work.
 */
public final class DeadLetterQueue {
    /** Dead letters handed to a loop at once, and so claimed in one ledger transaction. */
    static final int REPLAY_CHUNK = 500;

    private final KafkaClients kafka;
    private final String topic;
    private final DataSource database;
    private final Function<String, Optional<BatchConsumerLoop<?>>> loops;
    private final Duration replayTimeout;

    /** A dead letter as read from the topic: where it is, where it came from, why, and its key and bytes. */
    public record Letter(String id, int partition, long offset, Instant deadLetteredAt, String consumerGroup,
                         String sourceTopic, int sourcePartition, long sourceOffset, String errorCode, String errorReason,
                         String key, byte[] value) {
        /** The ledger's key: one message of one consumer group. */
        String source() {
            return consumerGroup + "|" + sourceTopic + "|" + sourcePartition + "|" + sourceOffset;
        }
    }

    /** When and by whom a message was replayed. */
    public record Replayed(Instant at, String by, String deadLetter) {
    }

    /** What a replay request did: per dead letter id, replayed now, replayed before, or failed again (with why). */
    public record ReplayReport(List<String> replayed, List<String> alreadyReplayed, List<Failure> failed) {
        public record Failure(String id, String errorCode, String reason) {
        }
    }

    /**
     * @param loops         this service's consumer loop of a group, if it runs one
     * @param replayTimeout how long a replay request waits for the loop (it may be waiting out an outage)
     */
    public DeadLetterQueue(KafkaClients kafka, String topic, DataSource database,
                           Function<String, Optional<BatchConsumerLoop<?>>> loops, Duration replayTimeout) {
        this.kafka = kafka;
        this.topic = topic;
        this.database = database;
        this.loops = loops;
        this.replayTimeout = replayTimeout;
    }

    public String topic() {
        return topic;
    }

    /** Every dead letter on the topic now that {@code filter} accepts, oldest first per partition. */
    public List<Letter> read(Predicate<Letter> filter) {
        List<Letter> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(15))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(15));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(15)) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 30 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Letter l = letter(r);
                    if (l != null && filter.test(l)) {
                        found.add(l);
                    }
                }
            }
        }
        found.sort(java.util.Comparator.comparing(Letter::deadLetteredAt).thenComparing(Letter::partition)
                .thenComparing(Letter::offset));
        return found;
    }

    /** One dead letter by its id ({@code partition-offset}), if it is there. */
    public Optional<Letter> find(String id) {
        int dash = id.indexOf('-');
        int partition = Integer.parseInt(id.substring(0, dash));
        long offset = Long.parseLong(id.substring(dash + 1));
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            if (consumer.partitionsFor(topic, Duration.ofSeconds(15)).stream().noneMatch(p -> p.partition() == partition)) {
                return Optional.empty();
            }
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(15)).get(tp);
            if (offset >= end) {
                return Optional.empty();
            }
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && consumer.position(tp) <= offset) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() == offset) {
                        return Optional.ofNullable(letter(r));
                    }
                    if (r.offset() > offset) {
                        return Optional.empty(); // compacted or transaction marker
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** Valid id: {@code partition-offset}, both non-negative numbers. */
    public static boolean isId(String id) {
        return id != null && id.matches("[0-9]{1,5}-[0-9]{1,19}");
    }

    /** The ledger rows of these dead letters' source messages, by dead letter id. */
    public Map<String, Replayed> replays(List<Letter> letters) throws SQLException {
        Map<String, Replayed> byId = new HashMap<>();
        if (letters.isEmpty()) {
            return byId;
        }
        Map<String, List<Letter>> bySource = new HashMap<>();
        letters.forEach(l -> bySource.computeIfAbsent(l.source(), k -> new ArrayList<>()).add(l));
        try (Connection c = database.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT r.consumer_group, r.source_topic, r.source_partition, r.source_offset, r.replayed_at, r.replayed_by,
                       r.dead_letter
                FROM dead_letter_replay r
                JOIN unnest(?::text[], ?::text[], ?::int[], ?::bigint[]) AS s(g, t, p, o)
                  ON r.consumer_group = s.g AND r.source_topic = s.t AND r.source_partition = s.p AND r.source_offset = s.o""")) {
            bindSources(c, ps, letters);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String source = rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getInt(3) + "|" + rs.getLong(4);
                    Replayed r = new Replayed(rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7));
                    bySource.getOrDefault(source, List.of()).forEach(l -> byId.put(l.id(), r));
                }
            }
        }
        return byId;
    }

    /**
     * Replays {@code letters} (each source message once, whatever number of dead letters it has) through their
     * groups' loops; see the class comment for why each is applied at most once per ledger row.
     */
    public ReplayReport replay(List<Letter> letters, String who) throws SQLException, InterruptedException {
        List<String> replayed = new ArrayList<>();
        List<String> already = new ArrayList<>();
        List<ReplayReport.Failure> failed = new ArrayList<>();
        Map<String, Letter> firstOfSource = new LinkedHashMap<>();
        for (Letter l : letters) {
            if (firstOfSource.putIfAbsent(l.source(), l) != null) {
                already.add(l.id()); // another dead letter of the same message is replayed in this request
            }
        }
        Map<String, List<Letter>> byGroup = new LinkedHashMap<>();
        firstOfSource.values().forEach(l -> byGroup.computeIfAbsent(l.consumerGroup(), g -> new ArrayList<>()).add(l));
        for (Map.Entry<String, List<Letter>> group : byGroup.entrySet()) {
            Optional<BatchConsumerLoop<?>> loop = loops.apply(group.getKey());
            List<Letter> all = group.getValue();
            for (int from = 0; from < all.size(); from += REPLAY_CHUNK) {
                List<Letter> chunk = all.subList(from, Math.min(all.size(), from + REPLAY_CHUNK));
                if (loop.isEmpty()) {
                    chunk.forEach(l -> failed.add(new ReplayReport.Failure(l.id(), "NO_CONSUMER",
                            "this service runs no consumer loop of group " + group.getKey())));
                    continue;
                }
                replayChunk(loop.get(), chunk, who, replayed, already, failed);
            }
        }
        return new ReplayReport(replayed, already, failed);
    }

    private void replayChunk(BatchConsumerLoop<?> loop, List<Letter> chunk, String who, List<String> replayed,
                             List<String> already, List<ReplayReport.Failure> failed) throws SQLException, InterruptedException {
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Letter> claimed = claim(c, chunk, who);
                chunk.stream().filter(l -> !claimed.contains(l)).forEach(l -> already.add(l.id()));
                if (claimed.isEmpty()) {
                    c.commit();
                    return;
                }
                List<BatchConsumerLoop.ReplayOutcome> outcomes;
                try {
                    outcomes = loop.replay(claimed.stream().map(l -> new BatchConsumerLoop.Replay(l.sourceTopic(),
                            l.sourcePartition(), l.sourceOffset(), l.key(), l.value())).toList())
                            .get(replayTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // the loop may still apply them: no ledger row, so a later replay applies them again, idempotently
                    c.rollback();
                    claimed.forEach(l -> failed.add(new ReplayReport.Failure(l.id(), "REPLAY_TIMEOUT",
                            "the consumer loop did not answer within " + replayTimeout.toSeconds() + " s; replay again")));
                    return;
                } catch (ExecutionException e) {
                    c.rollback();
                    claimed.forEach(l -> failed.add(new ReplayReport.Failure(l.id(), "CONSUMER_UNAVAILABLE",
                            Failures.redact(e.getCause()))));
                    return;
                }
                List<Letter> notApplied = new ArrayList<>();
                for (int i = 0; i < claimed.size(); i++) {
                    BatchConsumerLoop.ReplayOutcome o = outcomes.get(i);
                    if (o.applied()) {
                        replayed.add(claimed.get(i).id());
                    } else {
                        notApplied.add(claimed.get(i));
                        failed.add(new ReplayReport.Failure(claimed.get(i).id(), o.errorCode(), o.reason()));
                    }
                }
                unclaim(c, notApplied);
                c.commit();
            } catch (SQLException | RuntimeException | InterruptedException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Inserts the ledger rows of {@code chunk}; returns those inserted now (the others were replayed before). */
    private List<Letter> claim(Connection c, List<Letter> chunk, String who) throws SQLException {
        Map<String, Letter> bySource = new HashMap<>();
        chunk.forEach(l -> bySource.put(l.source(), l));
        List<Letter> claimed = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO dead_letter_replay (consumer_group, source_topic, source_partition, source_offset, dead_letter,
                                                replayed_by)
                SELECT g, t, p, o, d, ? FROM unnest(?::text[], ?::text[], ?::int[], ?::bigint[], ?::text[]) AS s(g, t, p, o, d)
                ON CONFLICT DO NOTHING
                RETURNING consumer_group, source_topic, source_partition, source_offset""")) {
            ps.setString(1, who);
            bindSources(c, ps, chunk, 2);
            ps.setArray(6, c.createArrayOf("text", chunk.stream().map(l -> topic + "/" + l.id()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(bySource.get(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getInt(3) + "|" + rs.getLong(4)));
                }
            }
        }
        claimed.sort(java.util.Comparator.comparingInt(chunk::indexOf));
        return claimed;
    }

    private void unclaim(Connection c, List<Letter> letters) throws SQLException {
        if (letters.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM dead_letter_replay r USING unnest(?::text[], ?::text[], ?::int[], ?::bigint[]) AS s(g, t, p, o)
                WHERE r.consumer_group = s.g AND r.source_topic = s.t AND r.source_partition = s.p AND r.source_offset = s.o""")) {
            bindSources(c, ps, letters);
            ps.executeUpdate();
        }
    }

    private static void bindSources(Connection c, PreparedStatement ps, List<Letter> letters) throws SQLException {
        bindSources(c, ps, letters, 1);
    }

    private static void bindSources(Connection c, PreparedStatement ps, List<Letter> letters, int first) throws SQLException {
        Array groups = c.createArrayOf("text", letters.stream().map(Letter::consumerGroup).toArray());
        Array topics = c.createArrayOf("text", letters.stream().map(Letter::sourceTopic).toArray());
        Array partitions = c.createArrayOf("int4", letters.stream().map(Letter::sourcePartition).toArray());
        Array offsets = c.createArrayOf("int8", letters.stream().map(Letter::sourceOffset).toArray());
        ps.setArray(first, groups);
        ps.setArray(first + 1, topics);
        ps.setArray(first + 2, partitions);
        ps.setArray(first + 3, offsets);
    }

    private KafkaConsumer<byte[], byte[]> reader() {
        return kafka.reader("dead-letters", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Null for a record without the loop's headers (not a dead letter: e.g. the broker's start-up probe). */
    private static Letter letter(ConsumerRecord<byte[], byte[]> r) {
        String group = header(r, "x-consumer-group");
        String sourceTopic = header(r, "x-original-topic");
        String sourcePartition = header(r, "x-original-partition");
        String sourceOffset = header(r, "x-original-offset");
        if (group == null || sourceTopic == null || sourcePartition == null || sourceOffset == null) {
            return null;
        }
        return new Letter(r.partition() + "-" + r.offset(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()),
                group, sourceTopic, Integer.parseInt(sourcePartition), Long.parseLong(sourceOffset),
                header(r, "x-error-code"), header(r, "x-error-reason"),
                r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), r.value());
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
