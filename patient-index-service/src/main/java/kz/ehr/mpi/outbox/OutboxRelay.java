package kz.ehr.mpi.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.mpi.config.MpiConfig;

/**
 * Publishes outbox rows in id order with acks=all and marks them sent in the same transaction that locked
 * them ({@code FOR UPDATE SKIP LOCKED}, so several instances can relay without sending a row twice in the
 * normal case). A crash between the Kafka ack and the commit resends: consumers deduplicate by event id.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    MpiConfig config;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private volatile boolean running;
    private Thread thread;
    private KafkaProducer<String, byte[]> producer;

    void start(@Observes StartupEvent event) {
        producer = new KafkaProducer<>(KafkaClients.producer(bootstrapServers, "patient-index-outbox"),
                new StringSerializer(), new ByteArraySerializer());
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close();
        }
    }

    private void loop() {
        long backoff = config.outboxPollMillis();
        while (running) {
            try {
                int sent = relayOnce();
                backoff = config.outboxPollMillis();
                if (sent < config.outboxBatch()) {
                    Thread.sleep(config.outboxPollMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warnf("outbox relay: %s; retrying in %d ms", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    /** One round: returns how many events were published. */
    public int relayOnce() throws SQLException, Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Long> ids = new ArrayList<>();
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, topic, event_key, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    ps.setInt(1, config.outboxBatch());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                            acks.add(producer.send(new ProducerRecord<>(rs.getString(2), rs.getString(3), rs.getBytes(4))));
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
                c.rollback();
                throw e;
            }
        }
    }
}
