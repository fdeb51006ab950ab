package kz.ehr.simulator.output;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import kz.ehr.events.EventCodec;
import kz.ehr.events.ProviderRecord;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaClients;

/**
 * Kafka-native provider adapters: each record as an Avro {@link ProviderRecord} (the API.md JSON in
 * {@code payload}) on its provider's own topic {@code provider.records.v1.<providerId>}, sent by a producer logged
 * in as that provider's principal (the only one the broker lets write there), keyed by provider + local patient id
 * so one patient's records stay in order; acks=all and idempotence from {@link KafkaClients}.
 */
public final class KafkaSink implements RecordSink {
    private final Function<String, KafkaClients> asProvider;
    private final Map<String, KafkaProducer<String, byte[]>> producers = new ConcurrentHashMap<>();
    private final EventCodec<ProviderRecord> codec = EventCodec.of(ProviderRecord.class);
    private final Pacer pacer;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** @param asProvider a provider id → clients logged in as that provider's principal */
    public KafkaSink(Function<String, KafkaClients> asProvider, double ratePerSecond) {
        this.asProvider = asProvider;
        this.pacer = new Pacer(ratePerSecond);
    }

    @Override
    public void record(SourceRecord r) throws Exception {
        Exception e = failure.get();
        if (e != null) {
            throw e;
        }
        pacer.await(1);
        ProviderRecord value = ProviderRecord.newBuilder().setProviderId(r.providerId()).setRecordId(r.recordId())
                .setSubmittedAt(Instant.now()).setPayload(RecordJson.render(r)).setTraceId(null).build();
        String key = r.providerId() + ":" + r.patient().localId();
        KafkaProducer<String, byte[]> producer = producers.computeIfAbsent(r.providerId(), id -> asProvider.apply(id)
                .producer("provider-simulator-" + id, new StringSerializer(), new ByteArraySerializer()));
        producer.send(new ProducerRecord<>(Topics.providerTopic(r.providerId()), key, codec.encode(value)), (meta, ex) -> {
            if (ex != null) {
                failure.compareAndSet(null, ex);
            } else {
                acknowledged.incrementAndGet();
            }
        });
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    @Override
    public void close() throws Exception {
        for (KafkaProducer<String, byte[]> producer : producers.values()) {
            producer.flush();
            producer.close();
        }
        Exception e = failure.get();
        if (e != null) {
            throw e;
        }
    }
}
