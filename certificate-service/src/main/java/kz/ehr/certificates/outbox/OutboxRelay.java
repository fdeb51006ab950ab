package kz.ehr.certificates.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.events.kafka.KafkaClients;

/**
 * Publishes outbox rows to Kafka in id order and marks them sent once Kafka acknowledged them (acks=all). A crash
 * between the two re-sends a row: consumers dedupe on the envelope's stable event id.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    CertificatesConfig config;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProducer<String, byte[]> producer;
    private Thread thread;
    private volatile boolean running = true;

    void start(@Observes StartupEvent event) {
        producer = new KafkaProducer<>(KafkaClients.producer(bootstrapServers, "certificate-service-outbox"),
                new StringSerializer(), new ByteArraySerializer());
        thread = new Thread(this::loop, "certificate-outbox-relay");
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
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }

    private void loop() {
        long backoff = config.outboxPollInterval().toMillis();
        while (running) {
            try {
                int sent = relayOnce();
                backoff = config.outboxPollInterval().toMillis();
                if (sent < BATCH) {
                    Thread.sleep(backoff);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warnf("outbox relay: %s; retrying", e.getMessage());
                try {
                    Thread.sleep(Math.min(backoff *= 2, 10_000));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Sends one batch of unsent rows; returns how many were sent. */
    int relayOnce() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            List<Long> ids = new ArrayList<>();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, topic, event_key, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT " + BATCH);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    acks.add(producer.send(new ProducerRecord<>(rs.getString(2), rs.getString(3), rs.getBytes(4))));
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET sent_at = now() WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                ps.executeUpdate();
            }
            return ids.size();
        }
    }
}
