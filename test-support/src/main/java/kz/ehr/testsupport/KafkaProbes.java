package kz.ehr.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import kz.ehr.events.kafka.KafkaClients;

/**
 * What a broker lets a client do, for the access-control tests (the embedded broker's and compose's): each probe
 * returns what the call failed with, or null when the broker allowed it.
 */
public final class KafkaProbes {
    private static final Duration POLL = Duration.ofSeconds(30);

    private KafkaProbes() {
    }

    /** What reading {@code topic} without a consumer group (as the dead-letter endpoint does) failed with, or null. */
    public static Throwable readFailure(KafkaClients clients, String topic) {
        return catching(() -> {
            try (KafkaConsumer<String, String> consumer = clients.reader("acl-test", new StringDeserializer(), new StringDeserializer())) {
                var tp = new org.apache.kafka.common.TopicPartition(topic, 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long deadline = System.nanoTime() + POLL.toNanos();
                while (fetches(consumer) < 2) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("neither fetched nor refused within " + POLL);
                    }
                    consumer.poll(Duration.ofMillis(200));
                }
            }
        });
    }

    /** What producing one record to {@code topic} failed with, or null when the broker acknowledged it. */
    public static Throwable sendFailure(KafkaClients clients, String topic) {
        return catching(() -> {
            try (KafkaProducer<String, String> producer = clients.with(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000))
                    .producer("acl-test", new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "acl-test", "probe")).get(30, TimeUnit.SECONDS);
            }
        });
    }

    /**
     * What consuming {@code topic} in {@code group} failed with within the deadline, or null once the broker
     * answered two fetches: joining the group needs the group ACL, fetching needs READ on the topic.
     */
    public static Throwable pollFailure(KafkaClients clients, String group, String topic) {
        return catching(() -> {
            try (KafkaConsumer<String, String> consumer = clients.consumer(group, 10, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + POLL.toNanos();
                while (consumer.assignment().isEmpty() || fetches(consumer) < 2) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("neither fetched nor refused within " + POLL);
                    }
                    consumer.poll(Duration.ofMillis(200));
                }
            }
        });
    }

    private static double fetches(KafkaConsumer<?, ?> consumer) {
        return consumer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("fetch-total") && e.getKey().group().equals("consumer-fetch-manager-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    public interface Call {
        void run() throws Exception;
    }

    public static Throwable catching(Call call) {
        try {
            call.run();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }
}
