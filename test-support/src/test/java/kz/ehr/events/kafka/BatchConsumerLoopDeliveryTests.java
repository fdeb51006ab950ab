package kz.ehr.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import kz.ehr.events.EventCodec;
import kz.ehr.events.Envelopes;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.testsupport.TestPlatform;

/**
 * {@link BatchConsumerLoop} against the real broker and PostgreSQL of {@link TestPlatform}. The projection the
 * handler writes counts every time an offset is applied, so a lost message is a missing row and a redelivery a
 * count above one. (These tests live in test-support because event-schemas, where the loop is, cannot depend on
 * the broker without a dependency cycle.)
 */
class BatchConsumerLoopDeliveryTests {
    static final String IIN = "850315300019";
    static final Duration DEADLINE = Duration.ofSeconds(90);
    static String db;
    final List<BatchConsumerLoop<?>> loops = new ArrayList<>();

    @BeforeAll
    static void database() throws SQLException {
        db = TestPlatform.freshDatabase("ehr_consumer_loop_test");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS handled (topic text, part int, off bigint, times int NOT NULL DEFAULT 1,"
                    + " PRIMARY KEY (topic, part, off))");
            s.execute("CREATE TABLE IF NOT EXISTS person (iin text CONSTRAINT person_iin_key UNIQUE, topic text)");
        }
    }

    @AfterEach
    void closeLoops() {
        loops.forEach(BatchConsumerLoop::close);
    }

    @Test
    void aRebalanceWhileTheLoopWaitsOutALockedDatabaseLosesNoMessage() throws Exception {
        String topic = newTopic(6);
        String group = "g-" + topic;
        Set<String> produced = produce(topic, 600, i -> "person-" + i);
        AtomicInteger firstFailures = new AtomicInteger();
        AtomicInteger secondFailures = new AtomicInteger();
        try (Connection locker = connect()) {
            // a real lock the handler cannot get: its inserts fail with 55P03 until the test lets go
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE handled IN EXCLUSIVE MODE");
            BatchConsumerLoop<MpiLinkEvent> first = loop(topic, group, 50, batch -> project(batch, firstFailures));
            waitUntil("the first loop is waiting out the lock", () -> firstFailures.get() >= 1);
            BatchConsumerLoop<MpiLinkEvent> second = loop(topic, group, 50, batch -> project(batch, secondFailures));
            waitUntil("the second loop joined the group", second::isAssigned);
            int seen = firstFailures.get();
            // the first loop polled through the rebalance while waiting, and tried again after it
            waitUntil("the first loop went on waiting after the rebalance", () -> firstFailures.get() >= seen + 2);
            locker.rollback();

            await("every produced offset is in the projection").atMost(DEADLINE).pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(handledOffsets(topic)).as("partition@offset in the projection").isEqualTo(produced));
            waitUntil("both loops caught up", () -> first.health().lag() == 0 && second.health().lag() == 0);
            assertThat(first.deadLettered() + second.deadLettered()).isZero();
            assertThat(deadLettersOf(group)).isEmpty();
            // redeliveries are allowed (the projection is idempotent) and visible here; they are not losses
            System.out.printf("rebalance during a lock: %d offsets, %d applied twice or more, %d failed attempts%n",
                    produced.size(), count("SELECT count(*) FROM handled WHERE topic = '" + topic + "' AND times > 1"),
                    firstFailures.get() + secondFailures.get());
        }
    }

    @Test
    void deadlocksSerializationFailuresAndStatementTimeoutsAreRetriedNotDeadLettered() throws Exception {
        String topic = newTopic(2);
        String group = "g-" + topic;
        Set<String> produced = produce(topic, 40, i -> "person-" + i);
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        BatchConsumerLoop<MpiLinkEvent> loop = loop(topic, group, 100, batch -> {
            switch (calls.incrementAndGet()) {
                case 1 -> throw new SQLException("ERROR: deadlock detected", "40P01");
                case 2 -> throw new SQLException("ERROR: could not serialize access", "40001");
                case 3 -> {
                    // a real statement timeout from the server: 57014
                    try (Connection c = connect(); Statement s = c.createStatement()) {
                        s.execute("SET statement_timeout = '50ms'");
                        s.execute("SELECT pg_sleep(5)");
                    }
                }
                default -> project(batch, failures);
            }
        });
        waitUntil("every produced offset is in the projection", () -> handledOffsets(topic).size() == produced.size());
        assertThat(handledOffsets(topic)).isEqualTo(produced);
        assertThat(calls.get()).isGreaterThan(3);
        waitUntil("the loop committed everything", () -> loop.processed() == produced.size());
        assertThat(loop.deadLettered()).isZero();
        assertThat(deadLettersOf(group)).isEmpty();
    }

    @Test
    void aMessageBreakingAUniqueConstraintIsDeadLetteredAloneWithItsCodeAndWithoutTheIin() throws Exception {
        String topic = newTopic(1);
        String group = "g-" + topic;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO person (iin, topic) VALUES ('" + IIN + "', 'earlier')");
        }
        List<String> iins = List.of("900101300011", "900101300022", IIN, "900101300033", "900101300044");
        produce(topic, iins.size(), iins::get);
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(new java.util.logging.SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        // jboss-logging writes through java.util.logging here (org.jboss.logging.provider=jdk in the pom)
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(BatchConsumerLoop.class.getName());
        log.addHandler(capture);
        try {
            BatchConsumerLoop<MpiLinkEvent> loop = loop(topic, group, 100, batch -> {
                try (Connection c = connect()) {
                    c.setAutoCommit(false);
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO person (iin, topic) VALUES (?, ?)")) {
                        for (Delivery<MpiLinkEvent> d : batch) {
                            ps.setString(1, d.value().getSourceIin());
                            ps.setString(2, topic);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    c.commit();
                }
            });
            waitUntil("the four good messages are applied", () -> count("SELECT count(*) FROM person WHERE topic = '" + topic + "'") == 4);
            waitUntil("the loop committed all five", () -> loop.processed() == 5);
            assertThat(loop.deadLettered()).isEqualTo(1);
        } finally {
            log.removeHandler(capture);
        }
        List<ConsumerRecord<String, byte[]>> dead = deadLettersOf(group);
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), "x-original-offset")).isEqualTo("2");
        assertThat(header(dead.get(0), "x-error-code")).isEqualTo("CONSTRAINT_VIOLATION");
        assertThat(header(dead.get(0), "x-error-reason")).contains("23505").contains("person_iin_key");
        for (Header h : dead.get(0).headers()) {
            assertThat(new String(h.value(), StandardCharsets.UTF_8)).as(h.key()).doesNotContain(IIN);
        }
        assertThat(logged).as("the loop logged the dead letter").anyMatch(line -> line.contains("dead-letter"));
        assertThat(logged).noneMatch(line -> line.contains(IIN));
    }

    @Test
    void aLoopWithLagThatMakesNoProgressStopsBeingReadyAfterTheStallTime() throws Exception {
        String topic = newTopic(1);
        produce(topic, 3, i -> "person-" + i);
        BatchConsumerLoop<MpiLinkEvent> stuck = loop(topic, "g-stuck-" + topic, 100, batch -> {
            throw new SQLException("ERROR: could not serialize access", "40001");
        });
        BatchConsumerLoop<MpiLinkEvent> working = loop(topic, "g-working-" + topic, 100, batch -> {
        });
        Duration stallAfter = Duration.ofSeconds(2);
        waitUntil("the stuck loop is not ready", () -> !stuck.health().ready(Instant.now(), stallAfter));
        assertThat(stuck.health().alive()).isTrue();
        assertThat(stuck.health().lag()).isEqualTo(3);
        assertThat(stuck.deadLettered()).isZero();
        waitUntil("the working loop caught up", () -> working.health().lag() == 0);
        assertThat(working.health().ready(Instant.now(), stallAfter)).isTrue();
    }

    @Test
    void aLoopWhoseThreadDiedIsNotReadyAndItsMessageGoesToTheNextLoopOfTheGroup() throws Exception {
        String topic = newTopic(1);
        String group = "g-" + topic;
        Set<String> produced = produce(topic, 1, i -> IIN);
        BatchConsumerLoop<MpiLinkEvent> dying = loop(topic, group, 100, batch -> {
            throw new NoClassDefFoundError("kz/ehr/Missing " + IIN);
        });
        waitUntil("the thread died", () -> !dying.health().alive());
        assertThat(dying.health().ready(Instant.now(), Duration.ofMinutes(2))).isFalse();
        assertThat(dying.health().failure()).isEqualTo("NoClassDefFoundError");
        assertThat(dying.deadLettered()).isZero();

        AtomicInteger failures = new AtomicInteger();
        loop(topic, group, 100, batch -> project(batch, failures));
        waitUntil("the message reached the next loop", () -> handledOffsets(topic).equals(produced));
    }

    @Test
    void anAlignedLoopHandsAFollowersRecordOverOnlyOnceTheLeadersWereReadUpToItsTime() throws Exception {
        String leader = newTopic(2);
        String follower = newTopic(2);
        long base = System.currentTimeMillis() - 600_000;
        // the follower's records are in the log first and all later in time than the leader's (by more than the 1 s
        // of slack): read as fetched, follower records would come before leader records
        Set<String> followerOffsets = produce(follower, 300, i -> "person-" + i, i -> base + 5_000 + i);
        Set<String> leaderOffsets = produce(leader, 300, i -> "person-" + i, i -> base + i);
        List<String> topicsInOrder = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        // a wait longer than the test's deadline: the follower must be resumed because the leader caught up
        BatchConsumerLoop<MpiLinkEvent> loop = new BatchConsumerLoop<MpiLinkEvent>(TestPlatform.kafkaAdmin(), "g-" + follower,
                List.of(follower, leader), t -> EventCodec.of(MpiLinkEvent.class), 40, batch -> {
                    project(batch, failures);
                    batch.forEach(d -> topicsInOrder.add(d.topic()));
                }).alignedTo(Set.of(leader), Set.of(follower), Duration.ofSeconds(1), Duration.ofMinutes(10)).start();
        loops.add(loop);

        await("every record of both topics is in the projection").atMost(DEADLINE).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    assertThat(handledOffsets(leader)).isEqualTo(leaderOffsets);
                    assertThat(handledOffsets(follower)).isEqualTo(followerOffsets);
                });
        assertThat(topicsInOrder).hasSize(600);
        assertThat(topicsInOrder.lastIndexOf(leader)).as("the last leader record comes before the first follower record")
                .isLessThan(topicsInOrder.indexOf(follower));
        assertThat(count("SELECT count(*) FROM handled WHERE topic IN ('" + leader + "', '" + follower + "') AND times > 1"))
                .as("records handed over twice").isZero();
        waitUntil("the loop caught up", () -> loop.health().lag() == 0);
    }

    // --- the projection, the broker and the clock

    private BatchConsumerLoop<MpiLinkEvent> loop(String topic, String group, int maxPoll,
                                                 BatchConsumerLoop.BatchHandler<MpiLinkEvent> handler) {
        BatchConsumerLoop<MpiLinkEvent> loop = new BatchConsumerLoop<MpiLinkEvent>(TestPlatform.kafkaAdmin(), group,
                List.of(topic), t -> EventCodec.of(MpiLinkEvent.class), maxPoll, handler).start();
        loops.add(loop);
        return loop;
    }

    /** Idempotent, like every handler: a redelivered offset raises its count instead of adding a row. */
    private static void project(List<Delivery<MpiLinkEvent>> batch, AtomicInteger failures) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '200ms'");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO handled (topic, part, off) VALUES (?, ?, ?)"
                    + " ON CONFLICT (topic, part, off) DO UPDATE SET times = handled.times + 1")) {
                for (Delivery<MpiLinkEvent> d : batch) {
                    ps.setString(1, d.topic());
                    ps.setInt(2, d.partition());
                    ps.setLong(3, d.offset());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            failures.incrementAndGet();
            throw e;
        }
    }

    private static Set<String> handledOffsets(String topic) throws SQLException {
        Set<String> offsets = new HashSet<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT part, off FROM handled WHERE topic = ?")) {
            ps.setString(1, topic);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    offsets.add(rs.getInt(1) + "@" + rs.getLong(2));
                }
            }
        }
        return offsets;
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(db, TestPlatform.pgUser(), TestPlatform.pgPassword());
    }

    private static String newTopic(int partitions) throws Exception {
        String topic = "loop-test-" + UUID.randomUUID();
        try (Admin admin = TestPlatform.kafkaAdmin().admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return topic;
    }

    /** Produces {@code n} link events carrying the given IINs; returns their "partition@offset"s. */
    private static Set<String> produce(String topic, int n, java.util.function.IntFunction<String> iin) throws Exception {
        return produce(topic, n, iin, i -> null);
    }

    /** The same, each record with the producer timestamp {@code timestamp} gives (null: the producer's clock). */
    private static Set<String> produce(String topic, int n, java.util.function.IntFunction<String> iin,
                                       java.util.function.IntFunction<Long> timestamp) throws Exception {
        Set<String> offsets = new HashSet<>();
        EventCodec<MpiLinkEvent> codec = EventCodec.of(MpiLinkEvent.class);
        try (KafkaProducer<String, byte[]> producer = TestPlatform.kafkaAdmin().producer("loop-test", new StringSerializer(),
                new ByteArraySerializer())) {
            List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Instant at = Instant.ofEpochMilli(1_700_000_000_000L + i);
                MpiLinkEvent event = MpiLinkEvent.newBuilder()
                        .setEnvelope(Envelopes.of(UUID.randomUUID().toString(), "LINKED", "test", "r-" + i, at, at, null))
                        .setLinkEventType("LINKED").setEnterpriseId("e-" + i).setSourceIin(iin.apply(i)).build();
                sent.add(producer.send(new ProducerRecord<>(topic, null, timestamp.apply(i), "key-" + (i % 17), codec.encode(event))));
            }
            for (var f : sent) {
                var meta = f.get(30, TimeUnit.SECONDS);
                offsets.add(meta.partition() + "@" + meta.offset());
            }
        }
        return offsets;
    }

    /** Dead letters of {@code group}, read up to the topic's current end: the loop writes them before it commits. */
    private static List<ConsumerRecord<String, byte[]>> deadLettersOf(String group) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        Map<String, Object> settings = new HashMap<>(TestPlatform.kafkaAdmin().connection());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < Topics.DEAD_LETTER.partitions; p++) {
                partitions.add(new TopicPartition(Topics.DEAD_LETTER.topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (group.equals(header(r, "x-consumer-group"))) {
                        found.add(r);
                    }
                }
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Polls {@code check} (Awaitility, every 50 ms) until it holds; fails naming {@code what} at the deadline. */
    private static void waitUntil(String what, Callable<Boolean> check) {
        await(what).atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(check);
    }
}
