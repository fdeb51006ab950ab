-- The birth-date block (records without a first name; search by birth date) is now the range of birth keys that
-- start with 'yyyy-mm-dd|' in the birth_key index, instead of an index of its own: one index fewer to keep up on
-- every inserted source record. Byte order ("C") makes every key of one date one contiguous range whatever the
-- database's collation; equality lookups of whole keys are unchanged by it.
ALTER TABLE source_record ALTER COLUMN birth_key TYPE text COLLATE "C";
DROP INDEX source_record_birth;
