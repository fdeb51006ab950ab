-- The replay ledger of the shared dead-letter ops (event-schemas kz.ehr.events.deadletter.DeadLetterQueue): one row
-- per message of a consumer group replayed from this service's dead-letter topic, so a second replay finds it taken.
CREATE TABLE dead_letter_replay (
    consumer_group   text        NOT NULL,
    source_topic     text        NOT NULL,
    source_partition int         NOT NULL,
    source_offset    bigint      NOT NULL,
    dead_letter      text        NOT NULL,   -- deadletter.v1.<service>/<partition>-<offset> that was replayed
    replayed_at      timestamptz NOT NULL DEFAULT now(),
    replayed_by      text        NOT NULL,
    PRIMARY KEY (consumer_group, source_topic, source_partition, source_offset)
);
