-- Enterprise patients carry their golden record; an IIN may appear on more than one while a conflict is reviewed.
ALTER TABLE enterprise_patient DROP CONSTRAINT IF EXISTS enterprise_patient_iin_key;
ALTER TABLE enterprise_patient
    ADD COLUMN status       text NOT NULL DEFAULT 'ACTIVE',   -- ACTIVE, MERGED (into merged_into), RETIRED (no records left)
    ADD COLUMN merged_into  uuid,
    ADD COLUMN last_name    text,
    ADD COLUMN first_name   text,
    ADD COLUMN middle_name  text,
    ADD COLUMN birth_date   date,
    ADD COLUMN sex          text,
    ADD COLUMN phone        text,
    ADD COLUMN address      text,
    ADD COLUMN overrides    jsonb NOT NULL DEFAULT '{}'::jsonb, -- manual golden-field values: they always win
    ADD COLUMN version      bigint NOT NULL DEFAULT 0,
    ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now();
CREATE INDEX enterprise_patient_iin ON enterprise_patient (iin) WHERE iin IS NOT NULL;

-- comparison forms and blocking keys, computed by the matching core
ALTER TABLE source_record
    ADD COLUMN last_norm    text,
    ADD COLUMN first_norm   text,
    ADD COLUMN name_key     text,
    ADD COLUMN link_kind    text NOT NULL DEFAULT 'AUTO',      -- DETERMINISTIC, PROBABILISTIC, NEW, REVIEW_PENDING, MANUAL
    ADD COLUMN link_score   double precision,
    ADD COLUMN occurred_at  timestamptz,
    ADD COLUMN linked_at    timestamptz NOT NULL DEFAULT now();
CREATE INDEX source_record_iin ON source_record (iin) WHERE iin IS NOT NULL;
CREATE INDEX source_record_birth ON source_record (birth_date);
CREATE INDEX source_record_name_key ON source_record (name_key);
CREATE INDEX source_record_phone ON source_record (phone) WHERE phone IS NOT NULL;

-- every change of a link, who made it and why
CREATE TABLE link_history (
    id                     bigserial PRIMARY KEY,
    enterprise_id          uuid NOT NULL,
    event_type             text NOT NULL,
    previous_enterprise_id uuid,
    provider_id            text,
    local_id               text,
    score                  double precision,
    reason                 text,
    actor                  text NOT NULL,
    at                     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX link_history_enterprise ON link_history (enterprise_id, id);
CREATE INDEX link_history_previous ON link_history (previous_enterprise_id) WHERE previous_enterprise_id IS NOT NULL;

CREATE TABLE review (
    review_id               uuid PRIMARY KEY,
    kind                    text NOT NULL,                    -- POSSIBLE_MATCH, IIN_CONFLICT, DIFFERENT_IIN
    provider_id             text NOT NULL,
    local_id                text NOT NULL,
    candidate_enterprise_id uuid NOT NULL,
    score                   double precision,
    reason                  text,
    status                  text NOT NULL DEFAULT 'OPEN',     -- OPEN, ACCEPTED, REJECTED
    decided_by              text,
    decided_at              timestamptz,
    decision_reason         text,
    created_at              timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX review_open_pair ON review (provider_id, local_id, candidate_enterprise_id) WHERE status = 'OPEN';
CREATE INDEX review_status ON review (status, created_at);

-- manual "these are different people" decisions: automatic matching never links such a pair again
CREATE TABLE non_match (
    provider_id   text NOT NULL,
    local_id      text NOT NULL,
    enterprise_id uuid NOT NULL,
    decided_by    text NOT NULL,
    at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider_id, local_id, enterprise_id)
);

CREATE TABLE merge (
    merge_id     uuid PRIMARY KEY,
    source_id    uuid NOT NULL,   -- the patient merged away
    target_id    uuid NOT NULL,   -- the surviving patient
    moved        jsonb NOT NULL,  -- [[providerId, localId], ...] moved by this merge
    actor        text NOT NULL,
    reason       text,
    at           timestamptz NOT NULL DEFAULT now(),
    unmerged_at  timestamptz,
    unmerged_by  text
);
CREATE INDEX merge_source ON merge (source_id);

CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    topic      text NOT NULL,
    event_key  text NOT NULL,
    payload    bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

CREATE TABLE audit_log (
    id            bigserial PRIMARY KEY,
    actor         text NOT NULL,
    action        text NOT NULL,
    enterprise_id uuid,
    purpose       text,
    detail        text,
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_enterprise ON audit_log (enterprise_id, id);

-- record locator: which provider holds which record of a person (from ehr.registry.v1 and ehr.care.v1)
CREATE TABLE located_record (
    event_id     text PRIMARY KEY,
    provider_id  text NOT NULL,
    local_id     text NOT NULL,
    iin          text,
    record_id    text NOT NULL,
    record_type  text NOT NULL,
    occurred_at  timestamptz NOT NULL,
    facility     text,
    codes        text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX located_record_source ON located_record (provider_id, local_id);
CREATE INDEX located_record_iin ON located_record (iin) WHERE iin IS NOT NULL;

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX source_record_last_trgm ON source_record USING gin (last_norm gin_trgm_ops);
