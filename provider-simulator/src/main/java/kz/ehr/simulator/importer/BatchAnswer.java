package kz.ehr.simulator.importer;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Ingestion's answer to one batch (ingestion-service README): accepted, duplicates, and every rejected record. */
public record BatchAnswer(long records, long accepted, long duplicates, List<Rejection> rejected) {

    /** One rejected record: {@code index} counts the batch's non-empty lines from 0. */
    public record Rejection(int index, String recordId, List<Error> errors) {
    }

    public record Error(String code, String field, String message) {
    }

    static BatchAnswer parse(JsonNode answer, long records) {
        List<Rejection> rejected = new ArrayList<>();
        for (JsonNode r : answer.path("rejected")) {
            List<Error> errors = new ArrayList<>();
            for (JsonNode e : r.path("errors")) {
                errors.add(new Error(e.path("code").asText(), e.path("field").asText(null), e.path("message").asText(null)));
            }
            rejected.add(new Rejection(r.path("index").asInt(), r.path("recordId").asText(null), errors));
        }
        return new BatchAnswer(records, answer.path("accepted").asLong(), answer.path("duplicates").asLong(), rejected);
    }
}
