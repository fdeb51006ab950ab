-- Typed projections of the person events (V1 keeps the raw log). Rows are keyed by provider:recordId so that a
-- resubmission upserts; person_key is the IIN (or provider:localId until the MPI attributes it); source_key is
-- provider:localId, used to re-attribute rows when mpi.links.v1 links, relinks or merges.
CREATE TABLE person (
    person_key  text PRIMARY KEY,
    sex         text,
    birth_date  date,
    death_date  date,
    last_name   text,
    first_name  text,
    middle_name text,
    phone       text,
    address     text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE source_link (
    source_key    text PRIMARY KEY,
    person_key    text NOT NULL,
    enterprise_id text NOT NULL,
    linked_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE attachment (
    rec_key        text PRIMARY KEY,
    person_key     text NOT NULL,
    source_key     text NOT NULL,
    polyclinic_bin text NOT NULL,
    region         text,
    from_date      date NOT NULL,
    to_date        date,
    -- to_date, or the day before the person's next attachment starts, whichever is earlier
    effective_to   date,
    record_version int NOT NULL
);
CREATE INDEX attachment_person ON attachment (person_key, from_date);
CREATE INDEX attachment_source ON attachment (source_key);
CREATE INDEX attachment_bin ON attachment (polyclinic_bin, person_key);

CREATE TABLE insurance (
    rec_key        text PRIMARY KEY,
    person_key     text NOT NULL,
    source_key     text NOT NULL,
    insured        boolean NOT NULL,
    from_date      date,
    to_date        date,
    record_version int NOT NULL
);
CREATE INDEX insurance_person ON insurance (person_key);
CREATE INDEX insurance_source ON insurance (source_key);

CREATE TABLE visit (
    rec_key        text PRIMARY KEY,
    person_key     text NOT NULL,
    source_key     text NOT NULL,
    polyclinic_bin text NOT NULL,
    doctor_id      text,
    start_at       timestamptz NOT NULL,
    end_at         timestamptz,
    visit_date     date NOT NULL,
    kind           text NOT NULL,
    screening      text,
    services       text[] NOT NULL DEFAULT '{}',
    referral       boolean NOT NULL DEFAULT false,
    near_mark      boolean NOT NULL DEFAULT false,
    -- an OPEN or CONFIRMED fraud flag holds this visit: it does not count for capitation until cleared
    flagged        boolean NOT NULL DEFAULT false,
    record_version int NOT NULL
);
CREATE INDEX visit_person ON visit (person_key, visit_date);
CREATE INDEX visit_source ON visit (source_key);
CREATE INDEX visit_doctor_day ON visit (doctor_id, visit_date);

CREATE TABLE hospitalization (
    rec_key        text PRIMARY KEY,
    person_key     text NOT NULL,
    source_key     text NOT NULL,
    facility_bin   text NOT NULL,
    admitted_at    timestamptz NOT NULL,
    discharged_at  timestamptz,
    record_version int NOT NULL
);
CREATE INDEX hospitalization_person ON hospitalization (person_key);
CREATE INDEX hospitalization_source ON hospitalization (source_key);

CREATE TABLE death (
    rec_key        text PRIMARY KEY,
    person_key     text NOT NULL,
    source_key     text NOT NULL,
    death_date     date NOT NULL,
    record_version int NOT NULL
);
CREATE INDEX death_person ON death (person_key);
CREATE INDEX death_source ON death (source_key);

CREATE TABLE fraud_flag (
    flag_id        text PRIMARY KEY,
    visit_key      text NOT NULL,
    rule_id        text NOT NULL,
    polyclinic_bin text NOT NULL,
    doctor_id      text,
    visit_date     date NOT NULL,
    reason         text NOT NULL,
    money_at_stake numeric(14, 2) NOT NULL,
    state          text NOT NULL,
    raised_at      timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (visit_key, rule_id)
);
CREATE INDEX fraud_flag_filter ON fraud_flag (polyclinic_bin, visit_date);
CREATE INDEX fraud_flag_state ON fraud_flag (state, visit_date);

-- every human decision on a flag: who, when, what, why
CREATE TABLE fraud_decision (
    id          bigserial PRIMARY KEY,
    flag_id     text NOT NULL REFERENCES fraud_flag (flag_id),
    decision    text NOT NULL,
    reviewer    text NOT NULL,
    comment     text NOT NULL,
    decided_at  timestamptz NOT NULL DEFAULT now()
);

-- one row per computed version of a month; a CLOSED version is never changed again
CREATE TABLE capitation_run (
    month          text NOT NULL,
    version        int NOT NULL,
    status         text NOT NULL,
    policy_id      text NOT NULL,
    billing_date   date NOT NULL,
    computed_at    timestamptz NOT NULL,
    closed_at      timestamptz,
    persons        bigint NOT NULL,
    amount         numeric(16, 2) NOT NULL,
    full_amount    numeric(16, 2) NOT NULL,
    PRIMARY KEY (month, version)
);

CREATE TABLE capitation_statement (
    month                  text NOT NULL,
    version                int NOT NULL,
    polyclinic_bin         text NOT NULL,
    persons                bigint NOT NULL,
    paid_persons           bigint NOT NULL,
    persons_100            bigint NOT NULL,
    persons_90             bigint NOT NULL,
    persons_80             bigint NOT NULL,
    persons_72             bigint NOT NULL,
    persons_unpaid         bigint NOT NULL,
    persons_no_visit_12m   bigint NOT NULL,
    full_amount            numeric(16, 2) NOT NULL,
    amount                 numeric(16, 2) NOT NULL,
    withheld_no_visit      numeric(16, 2) NOT NULL,
    withheld_not_insured   numeric(16, 2) NOT NULL,
    withheld_by_fraud      numeric(16, 2) NOT NULL,
    PRIMARY KEY (month, version, polyclinic_bin)
);

CREATE TABLE capitation_line (
    month                text NOT NULL,
    version              int NOT NULL,
    polyclinic_bin       text NOT NULL,
    person_key           text NOT NULL,
    region               text,
    sex                  text,
    age_band             text,
    base_rate            numeric(12, 2) NOT NULL,
    sex_age_coefficient  numeric(8, 4) NOT NULL,
    regional_coefficient numeric(8, 4) NOT NULL,
    visit_factor         numeric(6, 4) NOT NULL,
    insurance_factor     numeric(6, 4) NOT NULL,
    applied_factor       numeric(6, 4) NOT NULL,
    full_amount          numeric(12, 2) NOT NULL,
    amount               numeric(12, 2) NOT NULL,
    withheld_no_visit    numeric(12, 2) NOT NULL,
    withheld_not_insured numeric(12, 2) NOT NULL,
    withheld_by_fraud    numeric(12, 2) NOT NULL,
    reasons              text NOT NULL
);
-- created after the bulk load of each run would be faster, but one index serves paging and diffs
CREATE INDEX capitation_line_page ON capitation_line (month, version, polyclinic_bin, person_key);

-- derived events, written in the transaction that derived them and relayed to billing.events.v1
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    event_id    text NOT NULL UNIQUE,
    topic       text NOT NULL,
    event_key   text NOT NULL,
    payload     bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- reads of personal data (outreach lists): who, when, what, why
CREATE TABLE data_access_audit (
    id        bigserial PRIMARY KEY,
    actor     text NOT NULL,
    purpose   text NOT NULL,
    resource  text NOT NULL,
    rows_read int NOT NULL,
    read_at   timestamptz NOT NULL DEFAULT now()
);
