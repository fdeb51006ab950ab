package kz.ehr.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class EventCodecTests {
    private final EventCodec<HealthRecordEvent> codec = EventCodec.of(HealthRecordEvent.class);

    @Test
    void anEventSurvivesARoundTrip() {
        HealthRecordEvent event = sampleEvent();

        HealthRecordEvent decoded = codec.decode(codec.encode(event));

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.getPatient().getBirthDate()).isEqualTo(LocalDate.of(1985, 3, 15));
    }

    @Test
    void theCodecWritesTheBytesAvrosOwnEncoderWrites() throws Exception {
        HealthRecordEvent event = sampleEvent(); // optional values set (the encounter, the IIN) and not (the attachment, the end)
        org.apache.avro.specific.SpecificData model = new org.apache.avro.specific.SpecificData();
        org.apache.avro.specific.SpecificData.getForClass(HealthRecordEvent.class).getConversions().forEach(model::addLogicalTypeConversion);
        java.nio.ByteBuffer avro = new BinaryMessageEncoder<HealthRecordEvent>(model, HealthRecordEvent.getClassSchema()).encode(event);
        byte[] expected = new byte[avro.remaining()];
        avro.get(expected);

        assertThat(codec.encode(event)).isEqualTo(expected);
    }

    @Test
    void aMessageOfTheCurrentSchemaIsReadStraightFromItsBytes() {
        byte[] bytes = codec.encode(sampleEvent());

        assertThat(codec.writtenWithCurrentSchema(bytes)).isTrue();
        bytes[5] ^= 1; // another fingerprint: the message decoder's way, which knows no such schema
        assertThat(codec.writtenWithCurrentSchema(bytes)).isFalse();
        assertUndecodable(bytes, "UNKNOWN_SCHEMA");
    }

    @Test
    void aTruncatedMessageOfTheCurrentSchemaIsUndecodable() {
        byte[] bytes = codec.encode(sampleEvent());
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);

        assertThat(codec.writtenWithCurrentSchema(truncated)).isTrue();
        assertUndecodable(truncated, "UNDECODABLE");
    }

    @Test
    void garbageIsRejectedWithAStableCode() {
        assertThatThrownBy(() -> codec.decode(new byte[] {1, 2, 3}))
                .isInstanceOf(EventCodec.UndecodableEventException.class)
                .satisfies(e -> assertThat(((EventCodec.UndecodableEventException) e).code).isIn("UNDECODABLE", "UNKNOWN_SCHEMA"));
    }

    @Test
    void aMessageFromAnUnknownSchemaIsRejectedAsUnknownSchema() throws Exception {
        Schema other = new Schema.Parser().parse("""
                {"type":"record","name":"HealthRecordEvent","namespace":"kz.ehr.events","fields":[{"name":"x","type":"int"}]}""");
        GenericRecord rec = new GenericData.Record(other);
        rec.put("x", 1);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), other).encode(rec).array();

        assertUndecodable(bytes, "UNKNOWN_SCHEMA");
    }

    @Test
    void aReleasedWriterVersionIsResolvedByTheCurrentReader() throws Exception {
        ReleasedSchemas.Released v1 = ReleasedSchemas.of("ProviderRecord").get(0);
        GenericRecord rec = new GenericData.Record(v1.schema());
        rec.put("providerId", "dm");
        rec.put("recordId", "r-1");
        rec.put("submittedAt", 1_700_000_000_000L);
        rec.put("payload", "{}");
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1.schema()).encode(rec).array();

        ProviderRecord decoded = EventCodec.of(ProviderRecord.class).decode(bytes);

        assertThat(decoded.getRecordId()).isEqualTo("r-1");
    }

    static HealthRecordEvent sampleEvent() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(Envelopes.stableEventId("dm", "r-1", "1"), "ENCOUNTER", "dm", "r-1", now, now, null))
                .setRecordType("ENCOUNTER")
                .setPatient(PatientInfo.newBuilder().setLocalId("P-77").setIin("850315300019").setIinStatus("VALID")
                        .setBirthDate(LocalDate.of(1985, 3, 15)).setSex("M").setLastName("Ахметов").build())
                .setEncounter(Encounter.newBuilder().setPolyclinicBin("000000000000").setStart(now).setKind("VISIT")
                        .setDiagnoses(List.of("I10")).build())
                .build();
    }

    private void assertUndecodable(byte[] bytes, String code) {
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(EventCodec.UndecodableEventException.class)
                .satisfies(e -> assertThat(((EventCodec.UndecodableEventException) e).code).isEqualTo(code));
    }
}
