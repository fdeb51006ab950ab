-- The audit trail is evidence: who read whose data or decided a flag, when and why. It must not be editable, not
-- even by the service's own SQL, so UPDATE, DELETE and TRUNCATE are refused by triggers (append-only).
ALTER TABLE data_access_audit
    ADD COLUMN action  text NOT NULL DEFAULT 'READ_OUTREACH',
    -- the person whose data was read (IIN or person key) when the read concerned one person
    ADD COLUMN patient text;
ALTER TABLE data_access_audit ALTER COLUMN action DROP DEFAULT;
CREATE INDEX data_access_audit_actor ON data_access_audit (actor, read_at);
CREATE INDEX data_access_audit_patient ON data_access_audit (patient, read_at) WHERE patient IS NOT NULL;

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER data_access_audit_append_only BEFORE UPDATE OR DELETE ON data_access_audit
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER data_access_audit_no_truncate BEFORE TRUNCATE ON data_access_audit
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER fraud_decision_append_only BEFORE UPDATE OR DELETE ON fraud_decision
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER fraud_decision_no_truncate BEFORE TRUNCATE ON fraud_decision
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
