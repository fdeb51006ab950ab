package kz.ehr.ingestion.stats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import kz.ehr.ingestion.validation.RecordError;

/** What one batch did for one provider: the deltas for the statistics and the rejections to list. */
public final class BatchTally {
    public final String providerId;
    public final String channel;
    public final String batchId;
    public final Instant at;
    public int accepted;
    public int updates;
    public int duplicates;
    public int rejected;
    public int warned;
    public final Map<String, Integer> rejectionsByCode = new TreeMap<>();
    public final Map<String, Integer> warningsByCode = new TreeMap<>();
    public final List<RejectionRow> rejections = new ArrayList<>();

    /** One rejected record as kept for the provider's rejection list. */
    public record RejectionRow(Integer index, String recordId, List<RecordError> errors, String payload) {
    }

    public BatchTally(String providerId, String channel, String batchId, Instant at) {
        this.providerId = providerId;
        this.channel = channel;
        this.batchId = batchId;
        this.at = at;
    }

    public void rejected(Integer index, String recordId, List<RecordError> errors, String payload) {
        rejected++;
        rejections.add(new RejectionRow(index, recordId, errors, payload));
        // a record counts once per distinct code it was rejected for
        errors.stream().map(RecordError::code).distinct().forEach(code -> rejectionsByCode.merge(code, 1, Integer::sum));
    }

    public void warned(List<RecordError> warnings) {
        if (warnings.isEmpty()) {
            return;
        }
        warned++;
        warnings.stream().map(RecordError::code).distinct().forEach(code -> warningsByCode.merge(code, 1, Integer::sum));
    }

    public int records() {
        return accepted + duplicates + rejected;
    }
}
