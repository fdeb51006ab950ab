-- Without a manual value the golden IIN is one of the patient's own source IINs (survivorship picks it from them),
-- so the source_record IIN block already finds the patient. Only a hand-set golden IIN needs its own lookup when
-- linking: this small index serves it, and a batch no longer visits ~1,000 patient rows for nothing.
CREATE INDEX enterprise_patient_manual_iin ON enterprise_patient (iin) INCLUDE (enterprise_id)
    WHERE status = 'ACTIVE' AND overrides ? 'iin';
