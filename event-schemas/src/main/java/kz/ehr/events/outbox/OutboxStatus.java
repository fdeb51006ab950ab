package kz.ehr.events.outbox;

import java.time.Instant;
import java.util.List;

/**
 * What a service's outbox holds: rows waiting to be sent (and since when) and the rows set aside because Kafka
 * refuses them, newest first, with their error codes. No event key: it may be an IIN.
 */
public record OutboxStatus(long unsent, Instant oldestUnsentAt, long setAside, List<SetAside> setAsideRows) {
    public record SetAside(long id, String eventId, String topic, String errorCode, int payloadBytes, Instant createdAt,
                           Instant failedAt) {
    }
}
