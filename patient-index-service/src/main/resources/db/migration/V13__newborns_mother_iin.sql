-- A newborn recorded before it has an IIN of its own names its mother (API.md patient.motherIin). The mother's IIN
-- blocks: the newborn's own IIN record, naming the same mother, finds the newborn's patient through it.
ALTER TABLE source_record ADD COLUMN mother_iin text;
CREATE INDEX source_record_mother_iin ON source_record (mother_iin) WHERE mother_iin IS NOT NULL;
