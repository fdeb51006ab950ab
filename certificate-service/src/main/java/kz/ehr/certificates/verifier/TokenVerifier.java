package kz.ehr.certificates.verifier;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;


/**
 * Verifies a certificate token (compact JWS, or the QR text {@code KZC1:…}) against a set of public keys.
 * Offline this needs only the JWKS (and, optionally, a revocation list); the service uses the same class.
 * <p>
 * Order of checks: shape → header → algorithm (only ES256; {@code none} and HMAC are refused) → key → signature →
 * payload → expiry → revocation. Nothing from the payload is trusted before the signature checked out.
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

        RevocationLookup NONE = (kid, number) -> Optional.empty();
    }

    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final Base64.Encoder B64E = Base64.getUrlEncoder().withoutPadding();

    private final Function<String, EcJwk> keys;
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
        this.keys = keys;
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
                return failure;
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
        if (clock.instant().getEpochSecond() >= expSeconds.longValue()) {
            return new VerificationResult(VerificationStatus.EXPIRED, v.kid(), v.claims(), "expired");
        }
        Optional<Instant> revoked = revocations.revokedAt(v.kid(), no);
        if (revoked.isPresent()) {
            return new VerificationResult(VerificationStatus.REVOKED, v.kid(), v.claims(), "revoked", revoked.get());
        }
        return new VerificationResult(VerificationStatus.VALID, v.kid(), v.claims(), null);
    }

    /** A {@link Verified} when the signature holds, else the failing {@link VerificationResult}. */
    private Object checkSignature(String token) {
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot1 <= 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
            return VerificationResult.of(VerificationStatus.MALFORMED, null, "not a compact JWS");
        }
        Map<String, Object> header;
        try {
            header = CertificateJws.JSON.readValue(B64D.decode(token.substring(0, dot1)), CertificateJws.OBJECT);
        } catch (Exception e) {
            return VerificationResult.of(VerificationStatus.MALFORMED, null, "unreadable header");
        }
        if (header == null) {
            return VerificationResult.of(VerificationStatus.MALFORMED, null, "unreadable header");
        }
        if (header.get("alg") == null) {
            return VerificationResult.of(VerificationStatus.MALFORMED, null, "header lacks alg");
        }
        if (!"ES256".equals(header.get("alg"))) {
            // alg none, HS256 with the public key as secret, RS256 …: refused before any key is touched
            return VerificationResult.of(VerificationStatus.INVALID_SIGNATURE, null, "algorithm " + header.get("alg") + " is not accepted");
        }
        if (header.get("crit") != null) {
            return VerificationResult.of(VerificationStatus.MALFORMED, null, "critical header extensions are not supported");
        }
        if (!(header.get("kid") instanceof String kid)) {
            return VerificationResult.of(VerificationStatus.MALFORMED, null, "header lacks kid");
        }
        EcJwk key = keys.apply(kid);
        if (key == null) {
            return VerificationResult.of(VerificationStatus.UNKNOWN_KEY, kid, "no published key " + kid);
        }
        byte[] signature;
        try {
            signature = B64D.decode(token.substring(dot2 + 1));
        } catch (IllegalArgumentException e) {
            return VerificationResult.of(VerificationStatus.INVALID_SIGNATURE, kid, "signature is not base64url");
        }
        if (signature.length != 64 || !B64E.encodeToString(signature).equals(token.substring(dot2 + 1))) {
            // a 64-byte signature has exactly one base64url spelling; other spellings hide flipped bits
            return VerificationResult.of(VerificationStatus.INVALID_SIGNATURE, kid, "not a canonical 64-byte ES256 signature");
        }
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(key.publicKey());
            s.update(token.substring(0, dot2).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(signature)) {
                return VerificationResult.of(VerificationStatus.INVALID_SIGNATURE, kid, "signature does not match");
            }
        } catch (GeneralSecurityException e) {
            return VerificationResult.of(VerificationStatus.INVALID_SIGNATURE, kid, "signature does not match");
        }
        try {
            Map<String, Object> claims = CertificateJws.JSON.readValue(B64D.decode(token.substring(dot1 + 1, dot2)), CertificateJws.OBJECT);
            if (claims == null) {
                return VerificationResult.of(VerificationStatus.MALFORMED, kid, "empty payload");
            }
            return new Verified(kid, claims);
        } catch (Exception e) {
            return VerificationResult.of(VerificationStatus.MALFORMED, kid, "unreadable payload");
        }
    }
}
