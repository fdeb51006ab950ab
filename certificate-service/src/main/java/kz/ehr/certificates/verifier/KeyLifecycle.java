package kz.ehr.certificates.verifier;

import java.time.Instant;

/**
 * What a verifier knows of a key besides its public half. A retired key (the next one signs) verifies only what it
 * signed before {@code retiredAt}; a withdrawn (compromised) key verifies nothing, whatever the signature says.
 */
public record KeyLifecycle(Instant retiredAt, Instant withdrawnAt) {
    public static final KeyLifecycle CURRENT = new KeyLifecycle(null, null);

    /** Whether a certificate issued at {@code iat} (epoch seconds, null when absent) predates the key's retirement. */
    public boolean signedBeforeRetirement(Number iat) {
        return retiredAt == null || iat != null && iat.longValue() * 1000 < retiredAt.toEpochMilli();
    }
}
