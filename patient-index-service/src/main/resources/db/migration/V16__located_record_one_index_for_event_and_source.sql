-- The record locator appends every care and registry record (~90 % of the stream), and each index of its table is
-- paid per row: one index now serves both the idempotent append and the records read by source record. An event id
-- is a hash of provider, record id, version and content (ingestion's RecordVersions), so it comes with one provider
-- and local id, and (provider_id, local_id, event_id) is as unique as event_id alone. Measured by MpiStreamBench
-- (docs/benchmarks/patient-index-service.md).
ALTER TABLE located_record DROP CONSTRAINT located_record_pkey;
DROP INDEX located_record_source;
ALTER TABLE located_record ADD PRIMARY KEY (provider_id, local_id, event_id);
