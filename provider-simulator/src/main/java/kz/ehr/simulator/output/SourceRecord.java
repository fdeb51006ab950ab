package kz.ehr.simulator.output;

import java.time.OffsetDateTime;
import java.util.Map;

import kz.ehr.simulator.corruption.SourcePatient;
import kz.ehr.simulator.fraud.FraudType;
import kz.ehr.simulator.population.RecordType;

/** One provider record as the provider sends it (API.md), with the truth that comes with it. */
public record SourceRecord(String providerId, String recordId, RecordType type, OffsetDateTime occurredAt, SourcePatient patient,
                           Map<String, Object> block, FraudType fraud) {
}
