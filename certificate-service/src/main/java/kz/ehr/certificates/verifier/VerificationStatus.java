package kz.ehr.certificates.verifier;

/** The answer a verifier gives, from the most to the least trustworthy token. */
public enum VerificationStatus {
    VALID, EXPIRED, REVOKED, INVALID_SIGNATURE, UNKNOWN_KEY, MALFORMED
}
