-- One row per source record (provider + recordId), the newer version wins (issue #15; kz.ehr.events.projection.PersonEventTable):
-- an event is stored only if its recordVersion is higher than the row's, so every service ends on a record's latest version
-- whatever order the versions arrive in. The version of a row stored before is in its payload, not readable here: such rows
-- get 0, so the next version of their record replaces them; of a record stored more than once, the row stored last stays.
ALTER TABLE person_event ADD COLUMN record_version int NOT NULL DEFAULT 0;
ALTER TABLE person_event ALTER COLUMN record_version DROP DEFAULT;
DELETE FROM person_event e USING person_event later
 WHERE later.provider_id = e.provider_id AND later.source_record_id = e.source_record_id
   AND (later.stored_at, later.event_id) > (e.stored_at, e.event_id);
-- the record is the key now; a redelivered event is the same record and version again and changes nothing
ALTER TABLE person_event DROP CONSTRAINT person_event_pkey;
ALTER TABLE person_event ADD PRIMARY KEY (provider_id, source_record_id);
