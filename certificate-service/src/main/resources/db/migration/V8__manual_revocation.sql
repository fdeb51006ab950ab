-- A revocation decided by a person (POST /api/v1/certificates/{number}/revocation): who, why (a code from
-- kz.ehr.certificates.revocation.ManualRevocationReason), their comment and purpose. The certificate row carries the
-- revocation itself (revoked_at, revocation_reason) exactly as for an event-driven one; this row is the decision.
CREATE TABLE manual_revocation (
    number     text PRIMARY KEY REFERENCES certificate (number),
    reason     text NOT NULL,
    comment    text NOT NULL,
    actor      text NOT NULL,
    purpose    text NOT NULL,
    decided_at timestamptz NOT NULL
);
