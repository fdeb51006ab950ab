-- The audit log is evidence: once written, a row can be neither changed nor removed, by the API or anyone else
-- holding the service's database credentials short of a schema change (which Flyway's history would show).
CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_audit is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER access_audit_no_update_or_delete BEFORE UPDATE OR DELETE ON access_audit
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER access_audit_no_truncate BEFORE TRUNCATE ON access_audit
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- the auditor's filters: who, which person, newest first
CREATE INDEX access_audit_by_actor ON access_audit (actor, id DESC);
CREATE INDEX access_audit_by_iin ON access_audit (iin, id DESC);
CREATE INDEX access_audit_by_at ON access_audit (at);
