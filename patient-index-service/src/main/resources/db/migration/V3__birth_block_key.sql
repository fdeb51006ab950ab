-- Blocking on the birth date alone gives ~30 candidates per record in a 1M index; birth date + first initial
-- of the first name keeps surname changes and IIN typos findable with ~20x fewer candidates.
ALTER TABLE source_record ADD COLUMN birth_key text;
UPDATE source_record SET birth_key = birth_date::text || '|' || coalesce(left(first_norm, 1), '?') WHERE birth_date IS NOT NULL;
CREATE INDEX source_record_birth_key ON source_record (birth_key);
