package kz.ehr.certificates.verifier;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;


/**
 * Verifies a certificate token (compact JWS, or the QR text {@code KZC1:…}) against a set of public keys.
 * Offline this needs only the JWKS (and, optionally, a revocation list); the service uses the same class.
 * <p>
 * Order of checks: shape → header → algorithm (only ES256; {@code none} and HMAC are refused) → key → signature →
 * payload → key withdrawn → issued after the key's retirement → expiry → revocation → revocation state recent enough.
 * Nothing from the payload is trusted before the signature checked out.
 */
public final class TokenVerifier {
    /**
     * Revocation status of a certificate number signed by a key: when it was revoked, empty when it was not. Never
     * why: the reason (a psychiatric registration, a death …) is health data, and a verifier is anyone who was once
     * shown the certificate.
     */
    @FunctionalInterface
    public interface RevocationLookup {
        Optional<Instant> revokedAt(String kid, String certificateNumber);

        /**
         * Whether the revocation state is recent enough to say a certificate is <em>not</em> revoked; when false, a
         * certificate not found revoked is {@code CANNOT_CONFIRM}, never VALID.
         */
        default boolean upToDate() {
            return true;
        }

        RevocationLookup NONE = (kid, number) -> Optional.empty();
    }

    private final Function<String, EcJwk> keys;
    private final Function<String, KeyLifecycle> lifecycles;
    private final RevocationLookup revocations;
    private final Clock clock;
    private final int cacheSize;
    /** Tokens whose signature already checked out, with their claims; a changed byte is a different token. */
    private final Map<String, Verified> verifiedSignatures = new ConcurrentHashMap<>();

    private record Verified(String kid, Map<String, Object> claims) {
    }

    /**
     * @param keys      public key by kid, or null when unknown
     * @param cacheSize how many verified signatures to remember (0 = verify every time); ECDSA verification is
     *                  the cost of a check, and a QR is often shown many times
     */
    public TokenVerifier(Function<String, EcJwk> keys, RevocationLookup revocations, Clock clock, int cacheSize) {
        this(keys, kid -> KeyLifecycle.CURRENT, revocations, clock, cacheSize);
    }

    /**
     * @param lifecycles retirement and withdrawal of a key by kid (never null); a withdrawn key need not (and should
     *                   not) be among {@code keys}: it left the JWKS
     */
    public TokenVerifier(Function<String, EcJwk> keys, Function<String, KeyLifecycle> lifecycles, RevocationLookup revocations,
                         Clock clock, int cacheSize) {
        this.keys = keys;
        this.lifecycles = lifecycles;
        this.revocations = revocations;
        this.clock = clock;
        this.cacheSize = cacheSize;
    }

    public VerificationResult verify(String tokenOrQr) {
        if (tokenOrQr == null || tokenOrQr.isBlank()) {
            return VerificationResult.of(VerificationStatus.MALFORMED, null, "empty token");
        }
        String token;
        try {
            token = QrPayload.toToken(tokenOrQr);
        } catch (IllegalArgumentException e) {
            return VerificationResult.of(VerificationStatus.MALFORMED, null, e.getMessage());
        }
        Verified verified = cacheSize > 0 ? verifiedSignatures.get(token) : null;
        if (verified == null) {
            Object outcome = checkSignature(token);
            if (outcome instanceof VerificationResult failure) {
                // a withdrawn key is out of the JWKS (UNKNOWN_KEY) and its signatures prove nothing: say why
                return failure.kid() != null && lifecycles.apply(failure.kid()).withdrawnAt() != null
                        ? VerificationResult.of(VerificationStatus.KEY_WITHDRAWN, failure.kid(), "signed by a withdrawn key")
                        : failure;
            }
            verified = (Verified) outcome;
            if (cacheSize > 0) {
                if (verifiedSignatures.size() >= cacheSize) {
                    verifiedSignatures.clear(); // crude but bounded; a miss only costs one verification
                }
                verifiedSignatures.put(token, verified);
            }
        }
        return judge(verified);
    }

    private VerificationResult judge(Verified v) {
        Object exp = v.claims().get("exp");
        Object number = v.claims().get("no");
        if (!(exp instanceof Number expSeconds) || !(number instanceof String no)) {
            return new VerificationResult(VerificationStatus.MALFORMED, v.kid(), null, "payload lacks exp or no");
        }
        // checked at every call, not cached: a key can be withdrawn after its signature was first checked
        KeyLifecycle key = lifecycles.apply(v.kid());
        if (key.withdrawnAt() != null) {
            return VerificationResult.of(VerificationStatus.KEY_WITHDRAWN, v.kid(), "signed by a withdrawn key");
        }
        if (!key.signedBeforeRetirement(v.claims().get("iat") instanceof Number iat ? iat : null)) {
            return VerificationResult.of(VerificationStatus.KEY_RETIRED, v.kid(), "issued after its key was retired");
        }
        if (clock.instant().getEpochSecond() >= expSeconds.longValue()) {
            return new VerificationResult(VerificationStatus.EXPIRED, v.kid(), v.claims(), "expired");
        }
        Optional<Instant> revoked = revocations.revokedAt(v.kid(), no);
        if (revoked.isPresent()) {
            return new VerificationResult(VerificationStatus.REVOKED, v.kid(), v.claims(), "revoked", revoked.get());
        }
        if (!revocations.upToDate()) {
            return new VerificationResult(VerificationStatus.CANNOT_CONFIRM, v.kid(), null,
                    "the revocation state cannot be read at the moment; try again later");
        }
        return new VerificationResult(VerificationStatus.VALID, v.kid(), v.claims(), null);
    }

    /** A {@link Verified} when the signature holds, else the failing {@link VerificationResult}. */
    private Object checkSignature(String token) {
        CertificateJws.Checked checked;
        try {
            checked = CertificateJws.verify(token, keys);
        } catch (CertificateJws.Rejected e) {
            return VerificationResult.of(e.status, e.kid, e.getMessage());
        }
        if (checked.typ() != null && !CertificateJws.TYPE.equals(checked.typ())) {
            // another document this service signs (a revocation list) is not a certificate
            return VerificationResult.of(VerificationStatus.MALFORMED, checked.kid(), "typ " + checked.typ() + " is not a certificate");
        }
        return new Verified(checked.kid(), checked.payload());
    }
}
