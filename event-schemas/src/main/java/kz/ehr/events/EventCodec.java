package kz.ehr.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
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
    /** The current schema's fingerprint and reader: a message written with it is read without the message decoder. */
    private final long currentFingerprint;
    private final DatumReader<T> currentReader;
    /** Avro single-object encoding: the marker C3 01, then the writer schema's 64-bit fingerprint, little-endian. */
    private static final int HEADER_LENGTH = 10;
    /** A decoder over a byte array per thread, re-pointed at each message (as Avro's message decoder keeps one). */
    private static final ThreadLocal<BinaryDecoder> ARRAY_DECODERS = new ThreadLocal<>();

    private EventCodec(Class<T> type) {
        this.type = type;
        Schema schema = SpecificData.get().getSchema(type);
        // resolve generated classes through the loader that loaded them (Quarkus runs several loaders)
        SpecificData model = new OptionalUnionsData(type.getClassLoader());
        SpecificData.getForClass(type).getConversions().forEach(model::addLogicalTypeConversion);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        this.currentFingerprint = SchemaNormalization.parsingFingerprint64(schema);
        this.currentReader = model.createDatumReader(schema, schema);
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
            if (writtenWithCurrentSchema(bytes)) {
                BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, ARRAY_DECODERS.get());
                ARRAY_DECODERS.set(in);
                return currentReader.read(null, in);
            }
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new UndecodableEventException("UNKNOWN_SCHEMA",
                    "message was written with a schema unknown to " + type.getSimpleName() + ": " + e.getMessage());
        } catch (Exception e) {
            throw new UndecodableEventException("UNDECODABLE",
                    "message is not a valid " + type.getSimpleName() + ": " + e);
        }
    }

    /**
     * Whether the message was written with the current schema, the one nearly every message on the topics is written with.
     * Such a message is read straight from its bytes: the message decoder reads it through an input stream byte by byte
     * (its {@code DirectBinaryDecoder} over a synchronized {@code ByteArrayInputStream}), which was nearly a third of the time
     * the consumers spent decoding (JFR of the 400k pipeline run, docs/benchmarks/pipeline.md). Any other message (an
     * older writer, a bad header) goes the message decoder's way, with its schema resolution and errors.
     */
    boolean writtenWithCurrentSchema(byte[] bytes) {
        if (bytes.length < HEADER_LENGTH || bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
            return false;
        }
        long fingerprint = 0;
        for (int i = 9; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xFFL);
        }
        return fingerprint == currentFingerprint;
    }

    public Serializer<T> serializer() {
        return (topic, data) -> data == null ? null : encode(data);
    }

    public Deserializer<T> deserializer() {
        return (topic, data) -> decode(data);
    }

    /**
     * The model the codec writes with. Every union of the event schemas is an optional value, {@code ["null", T]}:
     * its branch is whether the value is null. Avro's own resolution names the value's schema and looks the name up
     * in the union, for every union field of every event: 30 % of the time ingestion spent encoding (JFR of the 400k
     * pipeline run, docs/benchmarks/pipeline.md). Any other union is resolved as Avro does; the bytes are the same.
     */
    private static final class OptionalUnionsData extends SpecificData {
        OptionalUnionsData(ClassLoader loader) {
            super(loader);
        }

        @Override
        public int resolveUnion(Schema union, Object datum) {
            java.util.List<Schema> branches = union.getTypes();
            if (branches.size() == 2 && branches.get(0).getType() == Schema.Type.NULL) {
                return datum == null ? 0 : 1;
            }
            return super.resolveUnion(union, datum);
        }
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
