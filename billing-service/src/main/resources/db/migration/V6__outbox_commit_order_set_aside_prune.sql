-- The shared outbox (event-schemas kz.ehr.events.outbox): see its README, "Outbox".
-- commit order per key: a writer locks its keys here until it commits, then its rows take commit_seq
CREATE TABLE outbox_key (event_key text PRIMARY KEY);
CREATE SEQUENCE outbox_commit_seq;
ALTER TABLE outbox ADD COLUMN commit_seq bigint;
UPDATE outbox SET commit_seq = id;   -- rows written before keep their id order
SELECT setval('outbox_commit_seq', (SELECT coalesce(max(id), 0) + 1 FROM outbox), false);
ALTER TABLE outbox ALTER COLUMN commit_seq SET DEFAULT nextval('outbox_commit_seq'),
                   ALTER COLUMN commit_seq SET NOT NULL;
ALTER SEQUENCE outbox_commit_seq OWNED BY outbox.commit_seq;
-- a row Kafka refuses (too large, invalid topic) is set aside with a stable code instead of blocking the rest
ALTER TABLE outbox ADD COLUMN failed_at timestamptz, ADD COLUMN error_code text;
DROP INDEX outbox_unsent;
CREATE INDEX outbox_unsent ON outbox (commit_seq) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_set_aside ON outbox (id) WHERE failed_at IS NOT NULL;
-- sent rows are pruned after the retention (ehr.outbox.retention)
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
