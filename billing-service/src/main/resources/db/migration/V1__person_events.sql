-- the service's own projection of every health-record event about a person (keyed by IIN, or provider:localId)
CREATE TABLE person_event (
    event_id         text PRIMARY KEY,
    person_key       text NOT NULL,
    record_type      text NOT NULL,
    provider_id      text NOT NULL,
    source_record_id text NOT NULL,
    occurred_at      timestamptz NOT NULL,
    payload          bytea NOT NULL,
    stored_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_event_person ON person_event (person_key, occurred_at);
