package kz.ehr.ingestion.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.quarkus.runtime.Startup;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.ingestion.config.IngestionConfig;

/** Publishes a batch with acks=all and returns only when Kafka acknowledged every record of it. */
@Startup
@ApplicationScoped
public class RecordPublisher {
    private volatile KafkaProducer<String, byte[]> producer;
    private final Duration timeout;

    @Inject
    public RecordPublisher(KafkaClients kafka, IngestionConfig config) {
        this.producer = newProducer(kafka);
        this.timeout = config.publishTimeout();
    }

    static KafkaProducer<String, byte[]> newProducer(KafkaClients kafka) {
        return kafka.producer("ingestion", new StringSerializer(), new ByteArraySerializer());
    }

    /** @throws KafkaUnavailableException when any record could not be made durable in time */
    public void publishAll(List<ProducerRecord<String, byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        KafkaProducer<String, byte[]> p = producer;
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (ProducerRecord<String, byte[]> r : records) {
                // with the broker gone every send() can block for max.block.ms waiting for metadata:
                // give up at the batch deadline, or at the first send that has already failed
                if (System.nanoTime() > deadline) {
                    throw new org.apache.kafka.common.errors.TimeoutException("publish deadline passed while sending the batch");
                }
                Future<RecordMetadata> ack = p.send(r);
                if (ack.isDone()) {
                    ack.get();
                }
                acks.add(ack);
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException(e);
        } catch (Exception e) {
            throw new KafkaUnavailableException(e);
        }
    }

    /** Fault injection for tests: swaps the producer (e.g. for one pointed at a closed port); returns the old one. */
    KafkaProducer<String, byte[]> swapProducer(KafkaProducer<String, byte[]> replacement) {
        KafkaProducer<String, byte[]> old = producer;
        producer = replacement;
        return old;
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /**
     * Kafka could not acknowledge the batch; the caller must not report any of it accepted. Its cause chain
     * carries a {@link java.net.ConnectException} so that BatchConsumerLoop treats it as an outage (pause and
     * retry the batch) rather than a bad message to dead-letter.
     */
    public static class KafkaUnavailableException extends RuntimeException {
        public KafkaUnavailableException(Throwable cause) {
            super("Kafka did not acknowledge the batch: " + cause, outage(cause));
        }

        private static Throwable outage(Throwable cause) {
            java.net.ConnectException marker = new java.net.ConnectException("Kafka unavailable");
            marker.initCause(cause);
            return marker;
        }
    }
}
