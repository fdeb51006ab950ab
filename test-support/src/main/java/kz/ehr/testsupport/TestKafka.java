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
import org.apache.kafka.common.TopicPartition;
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
     * deadline passes, then on to the end of every partition as it stood at that first match; returns every
     * matching record seen. Reading on past the first match is what lets {@code hasSize(1)} see a duplicate
     * written before the call.
     */
    public static <T extends SpecificRecordBase> List<T> readUntil(String topic, Class<T> type, Predicate<T> wanted,
                                                                   Duration timeout) {
        List<T> matches = new ArrayList<>();
        List<String> undecodable = new ArrayList<>();
        EventCodec<T> codec = EventCodec.of(type);
        for (ConsumerRecord<String, byte[]> r : read(topic, raw -> {
            try {
                return wanted.test(codec.decode(raw.value()));
            } catch (EventCodec.UndecodableEventException e) {
                return false;
            }
        }, timeout, true)) {
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
        return read(topic, stop, timeout, false);
    }

    private static List<ConsumerRecord<String, byte[]>> read(String topic, Predicate<ConsumerRecord<String, byte[]>> stop,
                                                             Duration timeout, boolean onToTheEnd) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        // read_committed, like the services: the test sees what they would
        try (KafkaConsumer<String, byte[]> consumer = TestPlatform.kafkaAdmin().consumer("test-reader-" + UUID.randomUUID(), 500,
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<TopicPartition, Long> ends = null;
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r);
                    if (ends == null && stop.test(r)) {
                        if (!onToTheEnd) {
                            return seen;
                        }
                        ends = consumer.endOffsets(consumer.partitionsFor(topic).stream()
                                .map(pi -> new TopicPartition(topic, pi.partition())).toList());
                        // a match late in a short wait still gets time to read on to the end
                        deadline = Math.max(deadline, System.nanoTime() + Duration.ofSeconds(30).toNanos());
                    }
                }
                if (ends != null && reachedEnd(consumer, ends)) {
                    return seen;
                }
            }
            if (ends != null) {
                throw new AssertionError("read " + topic + " past the first match but not to its end in time");
            }
        }
        return seen;
    }

    private static boolean reachedEnd(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
        if (!consumer.assignment().containsAll(ends.keySet())) {
            return false;
        }
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
