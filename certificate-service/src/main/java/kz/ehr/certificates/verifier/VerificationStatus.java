package kz.ehr.certificates.verifier;

/**
 * The answer a verifier gives, from the most to the least trustworthy token. {@code CANNOT_CONFIRM}: the signature
 * holds and the certificate has not expired, but the revocation state is older than the verifier's bound, so it cannot
 * say the certificate is not revoked. {@code KEY_WITHDRAWN}: signed by a key withdrawn as compromised.
 * {@code KEY_RETIRED}: signed by a retired key after its retirement (the key no longer signed then).
 */
public enum VerificationStatus {
    VALID, EXPIRED, REVOKED, INVALID_SIGNATURE, UNKNOWN_KEY, MALFORMED, CANNOT_CONFIRM, KEY_WITHDRAWN, KEY_RETIRED
}
