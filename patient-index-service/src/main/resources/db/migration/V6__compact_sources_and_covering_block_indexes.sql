-- Linking a batch loads every candidate patient with all its source records. Joining source_record for ~14k
-- candidates per 1,000 records was a third of the batch's database time at 1M patients; a copy of the sources
-- on the patient row (JSON, rewritten in the same transaction as every change, see IndexStore) makes a candidate
-- one row. source_record stays the system of record; this column is derived from it.
ALTER TABLE enterprise_patient ADD COLUMN sources_compact text;
UPDATE enterprise_patient e SET sources_compact = c.j
FROM (SELECT enterprise_id,
             json_agg(json_build_array(provider_id, local_id, iin, iin_status, last_name, first_name, middle_name,
                                       birth_date, sex, phone, address, link_kind, link_score, occurred_at, last_event_id)
                      ORDER BY provider_id, local_id)::text AS j
      FROM source_record GROUP BY enterprise_id) c
WHERE c.enterprise_id = e.enterprise_id;
UPDATE enterprise_patient SET sources_compact = '[]' WHERE sources_compact IS NULL;

-- Blocking only needs the enterprise id of a key's records: with it in the index the lookups never visit the table.
DROP INDEX source_record_birth_key;
CREATE INDEX source_record_birth_key ON source_record (birth_key) INCLUDE (enterprise_id);
DROP INDEX source_record_name_key;
CREATE INDEX source_record_name_key ON source_record (name_key) INCLUDE (enterprise_id);
DROP INDEX source_record_phone;
CREATE INDEX source_record_phone ON source_record (phone) INCLUDE (enterprise_id) WHERE phone IS NOT NULL;
DROP INDEX source_record_iin;
CREATE INDEX source_record_iin ON source_record (iin) INCLUDE (enterprise_id) WHERE iin IS NOT NULL;
DROP INDEX source_record_birth;
CREATE INDEX source_record_birth ON source_record (birth_date) INCLUDE (enterprise_id);
