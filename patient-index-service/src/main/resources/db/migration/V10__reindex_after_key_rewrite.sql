-- V7 rewrote every source record (new blocking keys), leaving each index of source_record at about twice its size;
-- block lookups read those indexes for every batch, so rebuild them once.
REINDEX TABLE source_record;
REINDEX TABLE enterprise_patient;
