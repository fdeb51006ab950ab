package kz.ehr.ingestion.validation;

/** One reason a record was rejected or warned about: a stable code, the field at fault, a sentence to act on. */
public record RecordError(String code, String field, String message) {
}
