-- Name-only search needs trigram similarity on surnames. A trigram GIN index on every source record made each
-- linked record pay for ~10 index entries (about half the cost of inserting a source record), while a population
-- has far fewer distinct surnames than records. The trigrams now live on the distinct surname forms; a record adds
-- its surname only when it is new, and search joins the few similar surnames back to their records.
CREATE TABLE surname (last_norm text PRIMARY KEY);
INSERT INTO surname SELECT DISTINCT last_norm FROM source_record WHERE last_norm IS NOT NULL;
CREATE INDEX surname_trgm ON surname USING gin (last_norm gin_trgm_ops);
DROP INDEX source_record_last_trgm;
CREATE INDEX source_record_last_norm ON source_record (last_norm) INCLUDE (enterprise_id);
