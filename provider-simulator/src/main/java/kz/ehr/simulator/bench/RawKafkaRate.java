package kz.ehr.simulator.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import kz.ehr.events.kafka.KafkaClients;

/**
 * The physical reference: how fast one producer with the platform's settings (acks=all, idempotence, lz4) can
 * write records of the size ingestion writes, to a scratch topic that is deleted afterwards.
 */
final class RawKafkaRate {
    static final String TOPIC = "bench.scratch.raw-producer";

    record Result(long records, int recordBytes, double seconds, double recordsPerSecond, double megabytesPerSecond) {
    }

    static Result measure(KafkaClients admin, List<byte[]> samples, long records) throws Exception {
        try (Admin a = admin.admin()) {
            if (a.listTopics().names().get(30, TimeUnit.SECONDS).contains(TOPIC)) {
                a.deleteTopics(List.of(TOPIC)).all().get(30, TimeUnit.SECONDS);
                Thread.sleep(1000);
            }
            a.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1).configs(Map.of("min.insync.replicas", "1"))))
                    .all().get(30, TimeUnit.SECONDS);
            try (KafkaProducer<String, byte[]> producer = admin.producer("bench-raw", new StringSerializer(), new ByteArraySerializer())) {
                // warm-up: metadata, connections, JIT
                for (int i = 0; i < 5_000; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, "w" + i, samples.get(i % samples.size())));
                }
                producer.flush();
                long bytes = 0;
                long t0 = System.nanoTime();
                for (long i = 0; i < records; i++) {
                    byte[] value = samples.get((int) (i % samples.size()));
                    bytes += value.length;
                    producer.send(new ProducerRecord<>(TOPIC, "k" + (i % 100_000), value));
                }
                producer.flush();
                double seconds = (System.nanoTime() - t0) / 1e9;
                return new Result(records, (int) (bytes / records), seconds, records / seconds, bytes / seconds / 1e6);
            } finally {
                a.deleteTopics(List.of(TOPIC)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
