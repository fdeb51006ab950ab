package kz.ehr.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Builds event envelopes; event ids are derived from their cause so that a retry yields the same id. */
public final class Envelopes {
    public static final int SCHEMA_VERSION = 1;

    private Envelopes() {
    }

    public static Envelope of(String eventId, String eventType, String providerId, String sourceRecordId,
                              Instant occurredAt, Instant ingestedAt, String traceId) {
        return Envelope.newBuilder()
                .setEventId(eventId)
                .setEventType(eventType)
                .setProviderId(providerId)
                .setSourceRecordId(sourceRecordId)
                .setOccurredAt(occurredAt)
                .setIngestedAt(ingestedAt)
                .setSchemaVersion(SCHEMA_VERSION)
                .setTraceId(traceId)
                .build();
    }

    /** A name-based (v3) UUID: the same parts always give the same event id. */
    public static String stableEventId(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
