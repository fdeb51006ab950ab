package kz.ehr.ingestion.publish;

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
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.Startup;
import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.ingestion.validation.ValidatedRecord;

/** Publishes accepted records with acks=all and returns only when Kafka acknowledged every one of them. */
@Startup
@ApplicationScoped
public class RecordPublisher {
    private final KafkaProducer<String, byte[]> producer;
    private final EventCodec<HealthRecordEvent> codec = EventCodec.of(HealthRecordEvent.class);

    @Inject
    public RecordPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        Topics.ensureAll(bootstrapServers);
        this.producer = new KafkaProducer<>(KafkaClients.producer(bootstrapServers, "ingestion"),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** @throws KafkaUnavailableException when any record could not be made durable in time */
    public void publishAll(List<ValidatedRecord> records) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        try {
            for (ValidatedRecord r : records) {
                acks.add(producer.send(new ProducerRecord<>(r.topic().topic, r.key(), codec.encode(r.event()))));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
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

    @PreDestroy
    void close() {
        producer.close();
    }

    /** Kafka could not acknowledge the batch; the caller must not report any of it accepted. */
    public static class KafkaUnavailableException extends RuntimeException {
        public KafkaUnavailableException(Throwable cause) {
            super("Kafka did not acknowledge the batch", cause);
        }
    }
}
