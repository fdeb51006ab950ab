CREATE TABLE enterprise_patient (
    enterprise_id uuid PRIMARY KEY,
    iin           text UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE source_record (
    provider_id   text NOT NULL,
    local_id      text NOT NULL,
    enterprise_id uuid NOT NULL REFERENCES enterprise_patient (enterprise_id),
    iin           text,
    iin_status    text NOT NULL,
    last_name     text,
    first_name    text,
    middle_name   text,
    birth_date    date,
    sex           text,
    phone         text,
    address       text,
    last_event_id text NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider_id, local_id)
);
CREATE INDEX source_record_enterprise ON source_record (enterprise_id);

-- every applied event id, so a redelivered event changes nothing
CREATE TABLE processed_event (
    event_id     text PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
