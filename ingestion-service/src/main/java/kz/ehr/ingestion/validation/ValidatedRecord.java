package kz.ehr.ingestion.validation;

import java.util.List;

import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;

/**
 * The outcome of validating one provider record: a normalised event to publish (its envelope's event id
 * and its version are settled by idempotency, see {@link RecordVersions}), or the errors that reject it.
 * Warnings never reject; they travel with the event as data-quality codes.
 */
public record ValidatedRecord(String recordId, String recordType, HealthRecordEvent event, Topics topic, String key,
                              List<RecordError> errors, List<RecordError> warnings) {

    public boolean accepted() {
        return errors.isEmpty();
    }

    public static ValidatedRecord rejected(String recordId, String recordType, List<RecordError> errors) {
        return new ValidatedRecord(recordId, recordType, null, null, null, List.copyOf(errors), List.of());
    }
}
