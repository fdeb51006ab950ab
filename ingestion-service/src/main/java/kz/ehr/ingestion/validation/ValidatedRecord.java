package kz.ehr.ingestion.validation;

import java.util.List;

import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;

/** The outcome of validating one provider record: an event to publish, or the errors that reject it. */
public record ValidatedRecord(String recordId, HealthRecordEvent event, Topics topic, String key, List<RecordError> errors) {

    public boolean accepted() {
        return errors.isEmpty();
    }

    public static ValidatedRecord rejected(String recordId, List<RecordError> errors) {
        return new ValidatedRecord(recordId, null, null, null, List.copyOf(errors));
    }
}
