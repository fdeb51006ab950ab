package kz.ehr.certificates.verifier;

import java.time.Instant;
import java.util.Map;

/**
 * @param claims    the signed payload, present only when the signature checked out (VALID, EXPIRED, REVOKED)
 * @param detail    why, for a person reading it; for REVOKED only "revoked", never the revocation reason (health data)
 * @param revokedAt when the certificate was revoked, only for REVOKED
 */
public record VerificationResult(VerificationStatus status, String kid, Map<String, Object> claims, String detail,
                                 Instant revokedAt) {
    public VerificationResult(VerificationStatus status, String kid, Map<String, Object> claims, String detail) {
        this(status, kid, claims, detail, null);
    }

    static VerificationResult of(VerificationStatus status, String kid, String detail) {
        return new VerificationResult(status, kid, null, detail);
    }
}
