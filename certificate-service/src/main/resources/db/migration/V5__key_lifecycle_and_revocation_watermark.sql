-- Signing keys' lifecycle, shared by every instance of the service (the private halves stay in the keystore file).
-- The current key is the one not retired; a key is retired when the next one starts signing and verifies only what it
-- signed before; a withdrawn (compromised) key verifies nothing and leaves the JWKS.
CREATE TABLE signing_key (
    kid          text PRIMARY KEY,
    jwk          text NOT NULL,
    created_at   timestamptz NOT NULL,
    retired_at   timestamptz,
    withdrawn_at timestamptz,
    withdrawn_by text,
    CHECK (withdrawn_at IS NULL OR retired_at IS NOT NULL)
);
CREATE UNIQUE INDEX signing_key_one_current ON signing_key ((true)) WHERE retired_at IS NULL;

-- The transaction that revoked a certificate. The revocation index reads revocations by this id up to the
-- snapshot's xmin (every transaction below it has ended), so a revocation that commits late is still read, whatever
-- its revoked_at says. Set by a trigger so that no write path can forget it.
ALTER TABLE certificate ADD COLUMN revoked_xid xid8;
CREATE FUNCTION certificate_revoked_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.revoked_at IS NOT NULL AND (OLD.revoked_at IS NULL OR NEW.revoked_at IS DISTINCT FROM OLD.revoked_at) THEN
        NEW.revoked_xid := pg_current_xact_id();
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER certificate_revoked_xid BEFORE UPDATE OF revoked_at ON certificate
    FOR EACH ROW EXECUTE FUNCTION certificate_revoked_xid();
CREATE INDEX certificate_revoked_xid ON certificate (revoked_xid) WHERE revoked_xid IS NOT NULL;
