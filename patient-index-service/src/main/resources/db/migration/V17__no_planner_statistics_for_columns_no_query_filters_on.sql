-- ANALYZE collects statistics only for the columns a query filters, joins or sorts on. TableUpkeep (event-schemas)
-- analyses these tables on autovacuum's thresholds while they grow, and sorting every other column's 30,000-row
-- sample was most of its cost: per ANALYZE ~0.9 CPU s over the seven tables at 300,000 stream records, the largest
-- database item of the running service that MpiStreamBench leaves out (MpiServiceBench,
-- docs/benchmarks/patient-index-service.md). The planner never reads statistics of a column no query filters on,
-- so no plan and no result depends on them; a new query filtering one of these columns sets its target back here.
ALTER TABLE source_record
    ALTER COLUMN last_name SET STATISTICS 0, ALTER COLUMN first_name SET STATISTICS 0,
    ALTER COLUMN middle_name SET STATISTICS 0, ALTER COLUMN birth_date SET STATISTICS 0,
    ALTER COLUMN sex SET STATISTICS 0, ALTER COLUMN address SET STATISTICS 0,
    ALTER COLUMN iin_status SET STATISTICS 0, ALTER COLUMN last_event_id SET STATISTICS 0,
    ALTER COLUMN updated_at SET STATISTICS 0, ALTER COLUMN first_norm SET STATISTICS 0,
    ALTER COLUMN link_kind SET STATISTICS 0, ALTER COLUMN link_score SET STATISTICS 0,
    ALTER COLUMN occurred_at SET STATISTICS 0, ALTER COLUMN linked_at SET STATISTICS 0;
ALTER TABLE enterprise_patient
    ALTER COLUMN created_at SET STATISTICS 0, ALTER COLUMN merged_into SET STATISTICS 0,
    ALTER COLUMN last_name SET STATISTICS 0, ALTER COLUMN first_name SET STATISTICS 0,
    ALTER COLUMN middle_name SET STATISTICS 0, ALTER COLUMN birth_date SET STATISTICS 0,
    ALTER COLUMN sex SET STATISTICS 0, ALTER COLUMN phone SET STATISTICS 0,
    ALTER COLUMN address SET STATISTICS 0, ALTER COLUMN version SET STATISTICS 0,
    ALTER COLUMN updated_at SET STATISTICS 0, ALTER COLUMN sources_compact SET STATISTICS 0;
ALTER TABLE located_record
    ALTER COLUMN record_id SET STATISTICS 0, ALTER COLUMN record_type SET STATISTICS 0,
    ALTER COLUMN facility SET STATISTICS 0, ALTER COLUMN codes SET STATISTICS 0;
ALTER TABLE link_history
    ALTER COLUMN event_type SET STATISTICS 0, ALTER COLUMN provider_id SET STATISTICS 0,
    ALTER COLUMN local_id SET STATISTICS 0, ALTER COLUMN score SET STATISTICS 0,
    ALTER COLUMN reason SET STATISTICS 0, ALTER COLUMN actor SET STATISTICS 0, ALTER COLUMN at SET STATISTICS 0;
ALTER TABLE outbox
    ALTER COLUMN topic SET STATISTICS 0, ALTER COLUMN event_key SET STATISTICS 0,
    ALTER COLUMN payload SET STATISTICS 0, ALTER COLUMN event_id SET STATISTICS 0,
    ALTER COLUMN error_code SET STATISTICS 0;
