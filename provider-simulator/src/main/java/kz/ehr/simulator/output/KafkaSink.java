package kz.ehr.simulator.output;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import kz.ehr.events.EventCodec;
import kz.ehr.events.ProviderRecord;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaClients;

/**
 * A Kafka-native provider adapter: each record as an Avro {@link ProviderRecord} (the API.md JSON in
 * {@code payload}) on {@code provider.records.v1}, keyed by provider + local patient id so one patient's records
 * stay in order; acks=all and idempotence from {@link KafkaClients}.
 */
public final class KafkaSink implements RecordSink {
    private final KafkaProducer<String, byte[]> producer;
    private final EventCodec<ProviderRecord> codec = EventCodec.of(ProviderRecord.class);
    private final Pacer pacer;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaSink(String bootstrapServers, double ratePerSecond) {
        Topics.ensureAll(bootstrapServers);
        this.producer = new KafkaProducer<>(KafkaClients.producer(bootstrapServers, "provider-simulator"), new StringSerializer(),
                new ByteArraySerializer());
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
        producer.send(new ProducerRecord<>(Topics.PROVIDER_RECORDS.topic, key, codec.encode(value)), (meta, ex) -> {
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
        producer.flush();
        producer.close();
        Exception e = failure.get();
        if (e != null) {
            throw e;
        }
    }
}
