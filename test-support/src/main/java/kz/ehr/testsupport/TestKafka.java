package kz.ehr.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import kz.ehr.events.EventCodec;

/** Produce to and read from the test broker directly (as its admin), to drive consumers and check producers. */
public final class TestKafka {
    private TestKafka() {
    }

    public static void send(String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = TestPlatform.kafkaAdmin().producer("test-producer",
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("test could not produce to " + topic, e);
        }
    }

    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecordBase> void send(String topic, String key, T event) {
        send(topic, key, EventCodec.of((Class<T>) event.getClass()).encode(event));
    }

    /** Many events through one producer (a flood), each with its key; returns once every one is acknowledged. */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecordBase> void sendAll(String topic, List<Map.Entry<String, T>> keyedEvents) {
        try (KafkaProducer<String, byte[]> producer = TestPlatform.kafkaAdmin().producer("test-flood-producer",
                new StringSerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>(keyedEvents.size());
            for (Map.Entry<String, T> e : keyedEvents) {
                acks.add(producer.send(new ProducerRecord<>(topic, e.getKey(),
                        EventCodec.of((Class<T>) e.getValue().getClass()).encode(e.getValue()))));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("test could not produce to " + topic, e);
        }
    }

    /**
     * Reads {@code topic} from the beginning until {@code wanted} matches a decoded record or the
     * deadline passes; returns every matching record seen.
     */
    public static <T extends SpecificRecordBase> List<T> readUntil(String topic, Class<T> type, Predicate<T> wanted,
                                                                   Duration timeout) {
        List<T> matches = new ArrayList<>();
        List<String> undecodable = new ArrayList<>();
        EventCodec<T> codec = EventCodec.of(type);
        for (ConsumerRecord<String, byte[]> r : readRawUntil(topic, raw -> {
            try {
                return wanted.test(codec.decode(raw.value()));
            } catch (EventCodec.UndecodableEventException e) {
                return false;
            }
        }, timeout)) {
            try {
                T value = codec.decode(r.value());
                if (wanted.test(value)) {
                    matches.add(value);
                }
            } catch (EventCodec.UndecodableEventException e) {
                undecodable.add(e.code + ": " + e.getMessage());
            }
        }
        if (matches.isEmpty() && !undecodable.isEmpty()) {
            throw new AssertionError("no matching record on " + topic + "; undecodable records: " + undecodable);
        }
        return matches;
    }

    /** Every raw record of {@code topic} read until one matches {@code stop} or the deadline passes. */
    public static List<ConsumerRecord<String, byte[]>> readRawUntil(String topic, Predicate<ConsumerRecord<String, byte[]>> stop,
                                                                   Duration timeout) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        // read_committed, like the services: the test sees what they would
        try (KafkaConsumer<String, byte[]> consumer = TestPlatform.kafkaAdmin().consumer("test-reader-" + UUID.randomUUID(), 500,
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r);
                    if (stop.test(r)) {
                        return seen;
                    }
                }
            }
        }
        return seen;
    }
}
