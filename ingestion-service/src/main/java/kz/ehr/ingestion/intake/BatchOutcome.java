package kz.ehr.ingestion.intake;

import java.util.List;

import kz.ehr.ingestion.validation.RecordError;

/**
 * The answer to a batch (API.md): every record is accepted, a duplicate, or rejected with its errors.
 * {@code warnings} lists accepted records that carry data-quality warnings (e.g. an invalid IIN).
 */
public record BatchOutcome(String batchId, int accepted, int duplicates, List<Rejection> rejected, List<Warning> warnings) {

    public record Rejection(int index, String recordId, List<RecordError> errors) {
    }

    public record Warning(int index, String recordId, List<RecordError> warnings) {
    }
}
