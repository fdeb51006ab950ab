package kz.ehr.events.outbox;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import kz.ehr.testsupport.TestPlatform;

/**
 * The shared outbox writer and relay against the real broker and PostgreSQL. The table is the one the services'
 * migrations leave (billing V2 + V6, certificates V2 + V4, patient index V2 + V12). Every test reads back what
 * reached the topic, so a lost row is a missing value and a second send a repeated one.
 */
class OutboxRelayTests {
    static final Duration DEADLINE = Duration.ofSeconds(90);
    static String db;
    static PGSimpleDataSource dataSource;
    String topic;
    final List<OutboxRelay> relays = new ArrayList<>();

    @BeforeAll
    static void database() throws SQLException {
        db = TestPlatform.freshDatabase("ehr_outbox_test");
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(db);
        dataSource.setUser(TestPlatform.pgUser());
        dataSource.setPassword(TestPlatform.pgPassword());
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS outbox (id bigserial PRIMARY KEY, event_id text UNIQUE, topic text NOT NULL,
                      event_key text NOT NULL, payload bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
                      sent_at timestamptz, commit_seq bigint NOT NULL, failed_at timestamptz, error_code text);
                    CREATE TABLE IF NOT EXISTS outbox_key (event_key text PRIMARY KEY);
                    CREATE SEQUENCE IF NOT EXISTS outbox_commit_seq OWNED BY outbox.commit_seq;
                    ALTER TABLE outbox ALTER COLUMN commit_seq SET DEFAULT nextval('outbox_commit_seq');
                    """);
        }
    }

    @BeforeEach
    void emptyOutboxAndNewTopic() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE outbox, outbox_key");
        }
        topic = "outbox-test-" + UUID.randomUUID();
        try (Admin admin = TestPlatform.kafkaAdmin().admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void closeRelays() {
        relays.forEach(OutboxRelay::close);
    }

    @Test
    void aRowWhoseTransactionCommitsLaterIsPublishedLaterAndNotLost() throws Exception {
        OutboxRelay relay = relay(Duration.ofDays(7));
        try (Connection first = connect(); Connection second = connect()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            write(first, "early", "person-1");   // the lower id and commit_seq, still uncommitted
            write(second, "late", "person-2");
            second.commit();

            assertThat(relay.relayOnce()).isEqualTo(1);
            assertThat(values(1)).containsExactly("late");

            first.commit();
            assertThat(relay.relayOnce()).isEqualTo(1);
            assertThat(relay.relayOnce()).isZero();
        }
        assertThat(values(2)).containsExactly("late", "early");
        assertThat(unsent()).isZero();
    }

    @Test
    void aSecondWriterOfTheSameKeyWaitsForTheFirstCommitAndIsPublishedAfterIt() throws Exception {
        OutboxRelay relay = relay(Duration.ofDays(7));
        try (Connection first = connect(); Connection second = connect()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            // the second transaction starts first and already holds an outbox row (the lowest id) of another key
            write(second, "second-other-key", "person-9");
            write(first, "first", "person-1");
            int secondPid = pid(second);
            CompletableFuture<Void> secondWrite = CompletableFuture.runAsync(() -> {
                try {
                    write(second, "second", "person-1");
                    second.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            waitUntil("the second writer waits for the key's lock", () -> waitsForLock(secondPid));
            assertThat(relay.relayOnce()).as("nothing is committed yet").isZero();

            first.commit();
            secondWrite.get(60, TimeUnit.SECONDS);
            waitUntil("everything relayed", () -> {
                relay.relayOnce();
                return unsent() == 0;
            });
        }
        assertThat(values(3)).containsSubsequence("first", "second").contains("second-other-key").hasSize(3);
    }

    @Test
    void aRowKafkaRefusesIsSetAsideWithItsCodeAndDoesNotBlockTheRest() throws Exception {
        OutboxRelay relay = relay(Duration.ofDays(7));
        try (Connection c = connect()) {
            write(c, "before", "person-1");
            Outbox.add(c, List.of(new OutboxRow("too-large", topic, "person-1", new byte[2 * 1024 * 1024])));
            Outbox.add(c, List.of(new OutboxRow("bad-topic", "not a valid topic!", "person-1", bytes("x"))));
            write(c, "after", "person-1");
        }
        assertThat(relay.relayOnce()).isEqualTo(4);
        assertThat(relay.relayOnce()).as("a set-aside row is not tried again").isZero();

        assertThat(values(2)).containsExactly("before", "after");
        OutboxStatus status = OutboxRelay.status(dataSource, 10);
        assertThat(status.unsent()).isZero();
        assertThat(status.setAside()).isEqualTo(2);
        assertThat(status.setAsideRows()).extracting(OutboxStatus.SetAside::eventId, OutboxStatus.SetAside::errorCode)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("too-large", OutboxRelay.RECORD_TOO_LARGE),
                        org.assertj.core.groups.Tuple.tuple("bad-topic", OutboxRelay.INVALID_TOPIC));
        assertThat(relay.setAside()).isEqualTo(2);
        assertThat(relay.sent()).isEqualTo(2);
    }

    @Test
    void sentRowsArePrunedAfterTheRetentionAndNothingElseIs() throws Exception {
        OutboxRelay relay = relay(Duration.ofHours(1));
        try (Connection c = connect()) {
            write(c, "old", "person-1");
            write(c, "recent", "person-1");
            Outbox.add(c, List.of(new OutboxRow("refused", "not a valid topic!", "person-1", bytes("x"))));
        }
        assertThat(relay.relayOnce()).isEqualTo(3);
        write(connect(), "unsent", "person-1");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE outbox SET sent_at = now() - interval '2 hours' WHERE event_id = 'old'");
            // a set-aside row waits for ops however old it is
            s.executeUpdate("UPDATE outbox SET failed_at = now() - interval '2 hours' WHERE event_id = 'refused'");
        }

        assertThat(relay.prune()).isEqualTo(1);
        assertThat(eventIds()).containsExactlyInAnyOrder("recent", "refused", "unsent");
    }

    @Test
    void aSecondRelayStandsByWhileAnotherHoldsTheRelayLock() throws Exception {
        OutboxRelay relay = relay(Duration.ofDays(7));
        try (Connection c = connect()) {
            write(c, "waiting", "person-1");
        }
        try (Connection other = connect()) {
            other.setAutoCommit(false);
            try (PreparedStatement ps = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                ps.setLong(1, OutboxRelay.RELAY_LOCK);
                ps.execute();
            }
            assertThat(relay.relayOnce()).isZero();
            assertThat(unsent()).isEqualTo(1);
            other.rollback();
        }
        assertThat(relay.relayOnce()).isEqualTo(1);
        assertThat(values(1)).containsExactly("waiting");
    }

    private OutboxRelay relay(Duration retention) {
        OutboxRelay relay = new OutboxRelay(dataSource, TestPlatform.kafkaAdmin(), "outbox-test", 100,
                Duration.ofMillis(100), retention);
        relays.add(relay);
        return relay;
    }

    private void write(Connection c, String value, String key) throws SQLException {
        Outbox.add(c, List.of(new OutboxRow(value, topic, key, bytes(value))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The topic's values in order, read until {@code expected} arrived and then a little longer for strays. */
    private List<String> values(int expected) {
        Map<String, Object> props = new HashMap<>(TestPlatform.kafkaAdmin().connection());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while ((out.size() < expected || consumer.position(tp) < end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(new String(r.value(), StandardCharsets.UTF_8));
                }
                end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            }
        }
        return out;
    }

    private static long unsent() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> eventIds() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT event_id FROM outbox")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean waitsForLock(int pid) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(db, TestPlatform.pgUser(), TestPlatform.pgPassword());
    }

    /** Polls {@code check} (Awaitility, every 50 ms) until it holds; fails naming {@code what} at the deadline. */
    private static void waitUntil(String what, Callable<Boolean> check) {
        await(what).atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(check);
    }
}
