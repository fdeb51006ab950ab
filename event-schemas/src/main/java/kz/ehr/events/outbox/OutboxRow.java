package kz.ehr.events.outbox;

/**
 * One encoded event for the outbox. {@code eventId} is the envelope's event id: the outbox stores an id once, so a
 * cause derived twice announces once. {@code key} is the aggregate key: the relay keeps each key's commit order.
 */
public record OutboxRow(String eventId, String topic, String key, byte[] payload) {
}
