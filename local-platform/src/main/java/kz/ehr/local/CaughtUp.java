package kz.ehr.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.KafkaCredentials;

/**
 * Waits until a platform has nothing left to do: every consumer group has lag 0 on every partition of every topic it
 * reads (a partition it never committed counts from 0), and no service database holds an outbox row still to send.
 * Both must hold twice in a row with the topics' end offsets unchanged, since a relay may publish right after a look.
 * Only then do two runs' projections compare ({@link ProjectionSnapshot}).
 */
public final class CaughtUp {
    private CaughtUp() {
    }

    /** What is still to do: total lag and unsent outbox rows, and the topics' summed end offsets. */
    public record Backlog(long lag, long unsent, long endOffsets) {
        boolean none() {
            return lag == 0 && unsent == 0;
        }
    }

    /** Polls until caught up; AssertionError-like {@link IllegalStateException} with the last backlog on timeout. */
    public static Backlog await(Admin admin, List<String> jdbcUrls, String user, String password, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Backlog previous = null;
        Exception lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                Backlog now = backlog(admin, jdbcUrls, user, password);
                if (now.none() && previous != null && previous.none() && previous.endOffsets() == now.endOffsets()) {
                    return now;
                }
                previous = now;
                lastError = null;
            } catch (Exception e) {
                previous = null; // a broker or database coming back: look again
                lastError = e;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("not caught up within " + timeout + ": last backlog " + previous
                + (lastError == null ? "" : " (last error " + lastError + ")"));
    }

    public static Backlog backlog(Admin admin, List<String> jdbcUrls, String user, String password) throws Exception {
        long unsent = 0;
        for (String url : jdbcUrls) {
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                if (hasOutbox(c)) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")) {
                        rs.next();
                        unsent += rs.getLong(1);
                    }
                }
            }
        }
        long lag = 0;
        long ends = 0;
        Map<TopicPartition, Long> endOffsets = new HashMap<>();
        for (ConsumerGroupListing g : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
            String group = g.groupId();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Set<String> topics = new HashSet<>();
            committed.keySet().forEach(tp -> topics.add(tp.topic()));
            admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group).members()
                    .forEach(m -> m.assignment().topicPartitions().forEach(tp -> topics.add(tp.topic())));
            if (topics.isEmpty()) {
                continue;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
                d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.stream().filter(tp -> !endOffsets.containsKey(tp)).forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            if (!latest.isEmpty()) {
                admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> endOffsets.put(tp, info.offset()));
            }
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                lag += Math.max(0, endOffsets.get(tp) - (c == null ? 0 : c.offset()));
            }
        }
        for (long e : endOffsets.values()) {
            ends += e;
        }
        return new Backlog(lag, unsent, ends);
    }

    private static boolean hasOutbox(Connection c) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, "public", "outbox", null)) {
            return rs.next();
        }
    }

    /**
     * {@code CaughtUp --kafka HOST:PORT --credentials DIR --pg HOST:PORT --user U --timeout-s 1800 DB…}
     * (password from {@code EHR_PG_PASSWORD}): exits 0 once caught up, 1 on timeout.
     */
    public static void main(String[] args) throws Exception {
        String kafka = LocalKafkaBroker.arg(args, "--kafka", "127.0.0.1:9092");
        KafkaClients clients = KafkaCredentials.in(java.nio.file.Path.of(LocalKafkaBroker.arg(args, "--credentials", ".ehr/kafka-credentials")))
                .clients(kafka, "admin");
        String pg = LocalKafkaBroker.arg(args, "--pg", "127.0.0.1:5432");
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                i++;
            } else {
                urls.add("jdbc:postgresql://" + pg + "/" + args[i]);
            }
        }
        long t0 = System.nanoTime();
        try (Admin admin = clients.admin()) {
            Backlog b = await(admin, urls, LocalKafkaBroker.arg(args, "--user", "postgres"), System.getenv().getOrDefault("EHR_PG_PASSWORD", ""),
                    Duration.ofSeconds(Long.parseLong(LocalKafkaBroker.arg(args, "--timeout-s", "1800"))));
            System.out.printf("caught up in %d s: lag 0, outboxes drained (end offsets %d)%n", (System.nanoTime() - t0) / 1_000_000_000, b.endOffsets());
        } catch (IllegalStateException e) {
            System.out.println(e.getMessage());
            System.exit(1);
        }
    }
}
