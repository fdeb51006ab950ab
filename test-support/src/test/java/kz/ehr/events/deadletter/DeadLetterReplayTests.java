package kz.ehr.events.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import kz.ehr.events.Envelopes;
import kz.ehr.events.EventCodec;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.testsupport.TestPlatform;

/**
 * Dead letters against the real broker and PostgreSQL: a message that breaks a rule is dead-lettered with its reason;
 * after the rule is fixed a replay applies it through the consumer loop; a second replay applies nothing. The
 * projection counts links per enterprise id (once per event id, as the services' handlers do) and a second table
 * counts every time the handler saw an offset, so a replay applied twice is visible.
 */
class DeadLetterReplayTests {
    static final Duration DEADLINE = Duration.ofSeconds(90);
    static DataSource db;
    final List<BatchConsumerLoop<?>> loops = new ArrayList<>();

    @BeforeAll
    static void database() throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(TestPlatform.freshDatabase("ehr_dead_letter_test"));
        ds.setUser(TestPlatform.pgUser());
        ds.setPassword(TestPlatform.pgPassword());
        db = ds;
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS applied (event_id text PRIMARY KEY)");
            s.execute("CREATE TABLE IF NOT EXISTS links (enterprise_id text PRIMARY KEY"
                    + " CONSTRAINT links_rule CHECK (enterprise_id NOT LIKE 'retired-%'), n int NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS seen (topic text, part int, off bigint, times int NOT NULL,"
                    + " PRIMARY KEY (topic, part, off))");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS dead_letter_replay (
                        consumer_group text NOT NULL, source_topic text NOT NULL, source_partition int NOT NULL,
                        source_offset bigint NOT NULL, dead_letter text NOT NULL,
                        replayed_at timestamptz NOT NULL DEFAULT now(), replayed_by text NOT NULL,
                        PRIMARY KEY (consumer_group, source_topic, source_partition, source_offset))""");
        }
    }

    @AfterEach
    void closeLoops() {
        loops.forEach(BatchConsumerLoop::close);
    }

    @Test
    void aMessageBreakingARuleIsDeadLetteredThenAppliedOnceByReplayAfterTheFix() throws Exception {
        String topic = newTopic();
        String group = "g-dlq-" + topic;
        BatchConsumerLoop<MpiLinkEvent> loop = loop(topic, group);
        String poisonId = UUID.randomUUID().toString();
        produce(topic, List.of(link(UUID.randomUUID().toString(), "ok-" + topic), link(poisonId, "retired-" + topic),
                link(UUID.randomUUID().toString(), "ok-" + topic)));
        DeadLetterQueue queue = new DeadLetterQueue(TestPlatform.kafkaAdmin(), loop.deadLetterTopic(), db,
                g -> g.equals(group) ? Optional.of(loop) : Optional.empty(), Duration.ofSeconds(60));

        waitUntil("the good messages are applied and the bad one dead-lettered",
                () -> count("SELECT coalesce(sum(n), 0) FROM links WHERE enterprise_id = 'ok-" + topic + "'") == 2
                        && queue.read(l -> group.equals(l.consumerGroup())).size() == 1);
        DeadLetterQueue.Letter letter = queue.read(l -> group.equals(l.consumerGroup())).get(0);
        assertThat(letter.sourceTopic()).isEqualTo(topic);
        assertThat(letter.errorCode()).isEqualTo("CONSTRAINT_VIOLATION");
        assertThat(letter.errorReason()).contains("23514").contains("links_rule").doesNotContain("retired-");
        assertThat(loop.deadLetterTopic()).isEqualTo(Topics.DEAD_LETTER.topic);

        // before the fix a replay fails again on the same rule, is not dead-lettered twice, and leaves no ledger row
        DeadLetterQueue.ReplayReport early = queue.replay(List.of(letter), "ops-test");
        assertThat(early.replayed()).isEmpty();
        assertThat(early.failed()).singleElement().satisfies(f -> assertThat(f.errorCode()).isEqualTo("CONSTRAINT_VIOLATION"));
        assertThat(queue.replays(List.of(letter))).isEmpty();
        assertThat(count("SELECT count(*) FROM links WHERE enterprise_id = 'retired-" + topic + "'")).isZero();

        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE links DROP CONSTRAINT links_rule"); // the fix: the rule changed
        }
        DeadLetterQueue.ReplayReport first = queue.replay(List.of(letter), "ops-test");
        assertThat(first.replayed()).containsExactly(letter.id());
        DeadLetterQueue.ReplayReport second = queue.replay(List.of(letter, letter), "ops-test");
        assertThat(second.replayed()).isEmpty();
        assertThat(second.alreadyReplayed()).containsExactly(letter.id(), letter.id());

        assertThat(count("SELECT n FROM links WHERE enterprise_id = 'retired-" + topic + "'")).as("counted once").isEqualTo(1);
        // the handler's own writes roll back when it fails, so this counts the applications that committed: the
        // replay's, once; without the ledger the second replay would make it 2 (while links stays 1, by event id)
        assertThat(count("SELECT times FROM seen WHERE topic = '" + topic + "' AND part = " + letter.sourcePartition()
                + " AND off = " + letter.sourceOffset())).as("applications of the dead letter").isEqualTo(1);
        assertThat(queue.replays(List.of(letter)).get(letter.id()).by()).isEqualTo("ops-test");
        assertThat(queue.read(l -> group.equals(l.consumerGroup()))).as("no second dead letter").hasSize(1);
        assertThat(count("SELECT coalesce(sum(n), 0) FROM links WHERE enterprise_id = 'ok-" + topic + "'")).isEqualTo(2);
    }

    @Test
    void theHandlerIsIdempotentPerEventIdSoAReplayWithoutTheLedgerCountsNothingTwice() throws Exception {
        String topic = newTopic();
        String group = "g-dlq-idem-" + topic;
        BatchConsumerLoop<MpiLinkEvent> loop = loop(topic, group);
        String eventId = UUID.randomUUID().toString();
        produce(topic, List.of(link(eventId, "idem-" + topic)));
        waitUntil("applied", () -> count("SELECT count(*) FROM links WHERE enterprise_id = 'idem-" + topic + "'") == 1);
        // the same message handed back twice more, straight to the loop (no ledger): the handler sees it, counts nothing
        byte[] raw = EventCodec.of(MpiLinkEvent.class).encode(link(eventId, "idem-" + topic));
        for (int i = 0; i < 2; i++) {
            assertThat(loop.replay(List.of(new BatchConsumerLoop.Replay(topic, 0, 0, "k", raw))).get(60, TimeUnit.SECONDS))
                    .singleElement().satisfies(o -> assertThat(o.applied()).isTrue());
        }
        assertThat(count("SELECT times FROM seen WHERE topic = '" + topic + "' AND part = 0 AND off = 0"))
                .as("the handler saw it three times").isEqualTo(3);
        assertThat(count("SELECT n FROM links WHERE enterprise_id = 'idem-" + topic + "'")).as("counted once").isEqualTo(1);
    }

    // --- the consumer, its projection and the broker

    private BatchConsumerLoop<MpiLinkEvent> loop(String topic, String group) {
        BatchConsumerLoop<MpiLinkEvent> loop = new BatchConsumerLoop<MpiLinkEvent>(TestPlatform.kafkaAdmin(), group,
                List.of(topic), t -> EventCodec.of(MpiLinkEvent.class), 100, DeadLetterReplayTests::project)
                .withDatabase(db).start();
        loops.add(loop);
        return loop;
    }

    /** Like the services' handlers: one transaction, an event id applied once, the projection counted per new id. */
    private static void project(List<Delivery<MpiLinkEvent>> batch) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Delivery<MpiLinkEvent> d : batch) {
                    try (PreparedStatement seen = c.prepareStatement("INSERT INTO seen VALUES (?, ?, ?, 1)"
                            + " ON CONFLICT (topic, part, off) DO UPDATE SET times = seen.times + 1")) {
                        seen.setString(1, d.topic());
                        seen.setInt(2, d.partition());
                        seen.setLong(3, d.offset());
                        seen.executeUpdate();
                    }
                    try (PreparedStatement first = c.prepareStatement("INSERT INTO applied VALUES (?) ON CONFLICT DO NOTHING")) {
                        first.setString(1, d.value().getEnvelope().getEventId());
                        if (first.executeUpdate() == 0) {
                            continue; // seen before: a redelivery or a replay changes nothing
                        }
                    }
                    try (PreparedStatement link = c.prepareStatement("INSERT INTO links VALUES (?, 1)"
                            + " ON CONFLICT (enterprise_id) DO UPDATE SET n = links.n + 1")) {
                        link.setString(1, d.value().getEnterpriseId());
                        link.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static MpiLinkEvent link(String eventId, String enterpriseId) {
        Instant at = Instant.now();
        return MpiLinkEvent.newBuilder().setEnvelope(Envelopes.of(eventId, "LINKED", "test", "r-" + eventId, at, at, null))
                .setLinkEventType("LINKED").setEnterpriseId(enterpriseId).setSourceIin("850315300019").build();
    }

    private static void produce(String topic, List<MpiLinkEvent> events) throws Exception {
        EventCodec<MpiLinkEvent> codec = EventCodec.of(MpiLinkEvent.class);
        try (KafkaProducer<String, byte[]> producer = TestPlatform.kafkaAdmin().producer("dlq-test", new StringSerializer(),
                new ByteArraySerializer())) {
            for (MpiLinkEvent e : events) {
                producer.send(new ProducerRecord<>(topic, "same-key", codec.encode(e))).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String newTopic() throws Exception {
        String topic = "dlq-test-" + UUID.randomUUID();
        try (Admin admin = TestPlatform.kafkaAdmin().admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return topic;
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void waitUntil(String what, java.util.concurrent.Callable<Boolean> check) {
        org.awaitility.Awaitility.await(what).atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(check);
    }
}
