package kz.ehr.billing.outbox;

import java.nio.charset.StandardCharsets;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.billing.config.BillingConfig;
import kz.ehr.events.kafka.KafkaClients;

/**
 * Publishes outbox rows in id order with acks=all and marks them sent in the same transaction that locked them
 * ({@code FOR UPDATE SKIP LOCKED}, so several instances never send a row twice concurrently). A crash between the
 * Kafka ack and the commit re-sends the row: consumers dedupe on the envelope's event id.
 */
@ApplicationScoped
public class OutboxRelay implements Runnable {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    BillingConfig config;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private KafkaProducer<byte[], byte[]> producer;
    private volatile boolean running;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        producer = new KafkaProducer<>(KafkaClients.producer(bootstrapServers, "billing-outbox"), new ByteArraySerializer(),
                new ByteArraySerializer());
        running = true;
        thread = new Thread(this, "billing-outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                int sent = QuarkusTransaction.requiringNew().call(this::relayOnce);
                if (sent == 0) {
                    Thread.sleep(config.relay().intervalMs());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warnf("outbox relay pass failed, retrying: %s", e.toString());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** One pass: lock unsent rows, send, wait for every ack, mark sent. */
    int relayOnce() throws Exception {
        List<Long> ids = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, topic, event_key, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setInt(1, config.relay().batchSize());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        acks.add(producer.send(new ProducerRecord<>(rs.getString(2),
                                rs.getString(3).getBytes(StandardCharsets.UTF_8), rs.getBytes(4))));
                    }
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET sent_at = now() WHERE id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                ps.executeUpdate();
            }
        }
        return ids.size();
    }
}
