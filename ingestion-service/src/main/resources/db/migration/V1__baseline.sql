-- ingestion's own state (idempotency, provider keys, statistics) is added by later migrations
CREATE TABLE ingestion_info (name text PRIMARY KEY, value text NOT NULL);
INSERT INTO ingestion_info VALUES ('schema', 'ehr_ingestion');
