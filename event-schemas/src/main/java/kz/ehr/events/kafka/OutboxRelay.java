package kz.ehr.events.kafka;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Relays a service's transactional outbox to Kafka: the table {@code outbox (id bigserial, topic, event_key,
 * payload bytea, sent_at)} that the service fills in the same transaction as the state change it announces.
 * <p>
 * Rows go out in id order with acks=all and are marked sent in the transaction that locked them
 * ({@code FOR UPDATE SKIP LOCKED}, so several instances never send a row concurrently). A crash between the Kafka
 * ack and the commit sends the row again; consumers deduplicate by the envelope's event id.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final int batchSize;
    private final Duration pollInterval;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param name names the producer's client id and the relay thread, e.g. {@code "billing-outbox"}
     */
    public OutboxRelay(DataSource dataSource, String bootstrapServers, String name, int batchSize, Duration pollInterval) {
        this.dataSource = dataSource;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.producer = new KafkaProducer<>(KafkaClients.producer(bootstrapServers, name), new ByteArraySerializer(),
                new ByteArraySerializer());
        this.thread = new Thread(this::loop, name + "-relay");
        this.thread.setDaemon(true);
    }

    public OutboxRelay start() {
        thread.start();
        return this;
    }

    private void loop() {
        Duration backoff = pollInterval;
        while (running) {
            try {
                int sent = relayOnce();
                backoff = pollInterval;
                if (sent < batchSize) {
                    Thread.sleep(pollInterval.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warnf("outbox relay pass failed, retrying in %d ms: %s", backoff.toMillis(), e.toString());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** One pass: lock the oldest unsent rows, send them, wait for every ack, mark them sent. Returns how many. */
    public int relayOnce() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Long> ids = new ArrayList<>();
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, topic, event_key, payload FROM outbox "
                        + "WHERE sent_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    ps.setInt(1, batchSize);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                            acks.add(producer.send(new ProducerRecord<>(rs.getString(2),
                                    rs.getString(3).getBytes(StandardCharsets.UTF_8), rs.getBytes(4))));
                        }
                    }
                }
                for (Future<RecordMetadata> ack : acks) {
                    ack.get(30, TimeUnit.SECONDS);
                }
                if (!ids.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET sent_at = now() WHERE id = ANY(?)")) {
                        ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return ids.size();
            } catch (Exception e) {
                rollbackQuietly(c);
                throw e;
            }
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
