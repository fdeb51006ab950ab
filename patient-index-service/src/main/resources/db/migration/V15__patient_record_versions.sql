-- The highest version applied of every PATIENT record (provider + recordId; issue #15). A source record (provider +
-- localId) is fed by the patient's PATIENT records: an event whose version is not above its record's here is superseded
-- (an older version delivered late) and not applied, so the index ends on each record's latest version whatever the
-- delivery order. Kept beside source_record, not in it: several recordIds may describe one localId.
CREATE TABLE patient_record_version (
    provider_id text NOT NULL,
    record_id   text NOT NULL,
    version     int  NOT NULL,
    PRIMARY KEY (provider_id, record_id)
);
