package kz.ehr.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding (a schema fingerprint in every message) as the Kafka serde: no
 * registry server, and every released version of the schema is known to the decoder so older and
 * newer writers resolve.
 */
public final class EventCodec<T extends SpecificRecordBase> {
    private static final Map<Class<?>, EventCodec<?>> CODECS = new ConcurrentHashMap<>();

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private EventCodec(Class<T> type) {
        this.type = type;
        Schema schema = SpecificData.get().getSchema(type);
        // resolve generated classes through the loader that loaded them (Quarkus runs several loaders)
        SpecificData model = new SpecificData(type.getClassLoader());
        SpecificData.getForClass(type).getConversions().forEach(model::addLogicalTypeConversion);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        for (ReleasedSchemas.Released released : ReleasedSchemas.of(schema.getName())) {
            decoder.addSchema(released.schema());
        }
    }

    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecordBase> EventCodec<T> of(Class<T> type) {
        return (EventCodec<T>) CODECS.computeIfAbsent(type, t -> new EventCodec<>(type));
    }

    public byte[] encode(T event) {
        try {
            ByteBuffer buffer = encoder.encode(event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode " + type.getSimpleName(), e);
        }
    }

    /** @throws UndecodableEventException when the bytes are not a message of a known version of this schema */
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new UndecodableEventException("NULL_VALUE", "message has no value");
        }
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new UndecodableEventException("UNKNOWN_SCHEMA",
                    "message was written with a schema unknown to " + type.getSimpleName() + ": " + e.getMessage());
        } catch (Exception e) {
            throw new UndecodableEventException("UNDECODABLE",
                    "message is not a valid " + type.getSimpleName() + ": " + e);
        }
    }

    public Serializer<T> serializer() {
        return (topic, data) -> data == null ? null : encode(data);
    }

    public Deserializer<T> deserializer() {
        return (topic, data) -> decode(data);
    }

    /** A message that could not be decoded; {@link #code} goes into the dead-letter headers. */
    public static final class UndecodableEventException extends RuntimeException {
        public final String code;

        public UndecodableEventException(String code, String message) {
            super(message);
            this.code = code;
        }
    }
}
