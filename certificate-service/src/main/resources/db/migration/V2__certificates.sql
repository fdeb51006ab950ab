-- which source record an event came from, so that MPI links can re-attribute it to the right person
ALTER TABLE person_event ADD COLUMN local_id text;
CREATE INDEX person_event_source ON person_event (provider_id, local_id);

-- source record → enterprise patient and its golden IIN, from mpi.links.v1 (identity repairs and merges)
CREATE TABLE mpi_link (
    provider_id   text NOT NULL,
    local_id      text NOT NULL,
    enterprise_id text NOT NULL,
    golden_iin    text,
    source_iin    text,
    event_id      text NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider_id, local_id)
);
CREATE INDEX mpi_link_golden ON mpi_link (golden_iin);
CREATE INDEX mpi_link_enterprise ON mpi_link (enterprise_id);

-- events whose side effects (revocations) were applied once; a redelivery must not revoke a newer certificate
CREATE TABLE applied_trigger (
    event_id   text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE certificate_number_seq;

CREATE TABLE certificate (
    number            text PRIMARY KEY,
    type              text NOT NULL,
    iin               text NOT NULL,
    kid               text NOT NULL,
    issued_at         timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    conclusion        text,
    token             text NOT NULL,
    revoked_at        timestamptz,
    revocation_reason text,
    revoked_by_event  text
);
CREATE INDEX certificate_active_by_iin ON certificate (iin) WHERE revoked_at IS NULL;
CREATE INDEX certificate_revoked ON certificate (kid, revoked_at) WHERE revoked_at IS NOT NULL;

-- derived events, written in the transaction that caused them and relayed to Kafka
CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    event_id   text NOT NULL UNIQUE,
    topic      text NOT NULL,
    event_key  text NOT NULL,
    payload    bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- who read a person's certificate, when and why
CREATE TABLE access_audit (
    id                 bigserial PRIMARY KEY,
    at                 timestamptz NOT NULL DEFAULT now(),
    actor              text NOT NULL,
    action             text NOT NULL,
    certificate_number text,
    iin                text,
    purpose            text
);
