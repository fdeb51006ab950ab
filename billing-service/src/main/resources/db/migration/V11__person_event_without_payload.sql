-- Nothing in billing reads the raw event back: the staff read (GET /api/v1/persons/{key}/events) shows ids, type and
-- time only. Writing it cost the server ~8 % of its CPU per delivery (hex-encoded bytea arrays parsed per batch) and
-- made the table several times wider than its keys (BillingStreamBench, docs/benchmarks/billing-service.md).
-- Dropping the column is a catalogue change; old rows' bytes go when the rows are next rewritten or vacuumed full.
ALTER TABLE person_event DROP COLUMN payload;
