package kz.ehr.certificates.verifier;

import java.util.Map;

/**
 * @param claims the signed payload, present only when the signature checked out (VALID, EXPIRED, REVOKED)
 * @param detail why, for a person reading it; for REVOKED the revocation reason code
 */
public record VerificationResult(VerificationStatus status, String kid, Map<String, Object> claims, String detail) {
    static VerificationResult of(VerificationStatus status, String kid, String detail) {
        return new VerificationResult(status, kid, null, detail);
    }
}
