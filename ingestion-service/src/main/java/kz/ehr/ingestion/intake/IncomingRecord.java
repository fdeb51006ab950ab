package kz.ehr.ingestion.intake;

import com.fasterxml.jackson.databind.JsonNode;

import kz.ehr.ingestion.validation.RecordError;

/**
 * One record as it arrived: its position in the batch, the original text (invalid UTF-8 replaced by U+FFFD,
 * for the rejected topic and the rejection list), and either its parsed JSON or why it could not be parsed.
 */
public record IncomingRecord(int index, String payload, JsonNode json, RecordError parseError) {
}
