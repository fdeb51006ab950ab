-- Provider API keys: only SHA-256 hashes are stored; several active keys per provider so they can rotate.
CREATE TABLE provider_key (
    key_id      text PRIMARY KEY,            -- first 12 hex digits of the hash: how ops name a key
    key_hash    text NOT NULL UNIQUE,        -- hex SHA-256 of the key
    provider_id text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX provider_key_by_provider ON provider_key (provider_id);

-- Idempotency: the latest content (hash) and version of every provider record id.
CREATE TABLE source_record (
    provider_id     text NOT NULL,
    record_id       text NOT NULL,
    content_hash    text NOT NULL,
    version         int  NOT NULL,
    event_id        uuid NOT NULL,
    record_type     text NOT NULL,
    first_seen_at   timestamptz NOT NULL,
    last_changed_at timestamptz NOT NULL,
    PRIMARY KEY (provider_id, record_id)
);

-- Per-provider counters, updated once per batch.
CREATE TABLE provider_stats (
    provider_id   text PRIMARY KEY,
    accepted      bigint NOT NULL DEFAULT 0,   -- published: new records and new versions
    updates       bigint NOT NULL DEFAULT 0,   -- of accepted, new versions of a known record id
    duplicates    bigint NOT NULL DEFAULT 0,
    rejected      bigint NOT NULL DEFAULT 0,
    warned        bigint NOT NULL DEFAULT 0,   -- accepted with at least one warning
    batches       bigint NOT NULL DEFAULT 0,
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL
);
CREATE TABLE provider_rejection_code (
    provider_id text NOT NULL,
    code        text NOT NULL,
    records     bigint NOT NULL,
    PRIMARY KEY (provider_id, code)
);
CREATE TABLE provider_minute (
    provider_id text NOT NULL,
    minute      timestamptz NOT NULL,
    records     bigint NOT NULL,
    PRIMARY KEY (provider_id, minute)
);

-- Recent rejections, so a provider can fix and resend; pruned after the configured retention.
CREATE TABLE rejection (
    id          bigserial PRIMARY KEY,
    provider_id text NOT NULL,
    rejected_at timestamptz NOT NULL,
    channel     text NOT NULL,
    batch_id    text,
    idx         int,
    record_id   text,
    errors      jsonb NOT NULL,
    payload     text NOT NULL
);
CREATE INDEX rejection_by_provider ON rejection (provider_id, id DESC);
CREATE INDEX rejection_by_time ON rejection (rejected_at);

-- Who read rejected payloads (they contain patients' data), when, and why.
CREATE TABLE audit_log (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text NOT NULL,
    action  text NOT NULL,
    subject text NOT NULL,
    reason  text
);
