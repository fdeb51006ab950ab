package kz.ehr.certificates.verifier;

import java.security.PrivateKey;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The certificate token: a compact JWS (RFC 7515) with header {@code {"alg":"ES256","kid":<RFC 7638>,"typ":"kz-ehr-cert+jws"}}
 * and a canonical JSON payload (members sorted by name at every level, no whitespace), signed with ES256 (P-256,
 * SHA-256, the 64-byte r||s signature of RFC 7518). The JWS itself is jose4j's, pinned to ES256; this class adds
 * only what jose4j leaves open: the canonical payload, and a strict shape check before jose4j sees a token (its
 * base64url decoder skips characters outside the alphabet, so one signature would have many spellings).
 */
public final class CertificateJws {
    public static final String TYPE = "kz-ehr-cert+jws";
    /** Media type of a signed revocation list. */
    public static final String REVOCATIONS_TYPE = "kz-ehr-revocations+jws";
    /** The only algorithm signed or accepted. */
    public static final String ALGORITHM = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;

    static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> OBJECT = new com.fasterxml.jackson.core.type.TypeReference<>() {
    };
    private static final AlgorithmConstraints ES256_ONLY = new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHM);
    private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private CertificateJws() {
    }

    /** Canonical JSON of the claims: the same claims always give the same bytes. */
    public static byte[] canonical(Map<String, Object> claims) {
        try {
            return JSON.writeValueAsBytes(new TreeMap<>(claims));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("claims are not JSON-serialisable", e);
        }
    }

    public static String sign(Map<String, Object> claims, String kid, PrivateKey key) {
        return sign(claims, TYPE, kid, key);
    }

    /** Header members in this order give the canonical header {@code {"alg","kid","typ"}} earlier tokens carry. */
    public static String sign(Map<String, Object> claims, String typ, String kid, PrivateKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(ALGORITHM);
        jws.setKeyIdHeaderValue(kid);
        jws.setHeader("typ", typ);
        jws.setPayloadBytes(canonical(claims));
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign with key " + kid, e);
        }
    }

    /** The payload of a token this service signed and stored itself; never use on a token from outside. */
    public static Map<String, Object> unverifiedClaims(String token) {
        try {
            String payload = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
            return JSON.readValue(Base64.getUrlDecoder().decode(payload), OBJECT);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a certificate token", e);
        }
    }

    /** Why a token did not check out, as the verifier's status; {@code kid} once it was read. */
    public static final class Rejected extends Exception {
        public final VerificationStatus status;
        public final String kid;

        Rejected(VerificationStatus status, String kid, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.kid = kid;
        }
    }

    /** A JWS whose ES256 signature holds under the key its {@code kid} names. */
    public record Checked(String kid, String typ, EcJwk key, Map<String, Object> payload) {
    }

    /**
     * Checks a compact JWS: shape → header → alg (ES256 only: {@code none}, HMAC, RSA … refused before any key is
     * touched) → kid → key → canonical 64-byte signature → ECDSA → payload. Nothing of the payload is read before the
     * signature holds.
     *
     * @param keys public key by kid, or null when unknown
     * @throws Rejected naming the status and what is wrong
     */
    public static Checked verify(String token, Function<String, EcJwk> keys) throws Rejected {
        if (!COMPACT.matcher(token).matches()) {
            throw new Rejected(VerificationStatus.MALFORMED, null, "not a compact JWS");
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmConstraints(ES256_ONLY);
        try {
            jws.setCompactSerialization(token);
        } catch (JoseException | RuntimeException e) {
            throw new Rejected(VerificationStatus.MALFORMED, null, "unreadable header");
        }
        Object alg = jws.getHeaders().getObjectHeaderValue("alg");
        if (alg == null) {
            throw new Rejected(VerificationStatus.MALFORMED, null, "header lacks alg");
        }
        if (!ALGORITHM.equals(alg)) {
            throw new Rejected(VerificationStatus.INVALID_SIGNATURE, null, "algorithm " + alg + " is not accepted");
        }
        if (jws.getHeaders().getObjectHeaderValue("crit") != null || jws.getHeaders().getObjectHeaderValue("b64") != null) {
            throw new Rejected(VerificationStatus.MALFORMED, null, "critical header extensions are not supported");
        }
        if (!(jws.getHeaders().getObjectHeaderValue("kid") instanceof String kid)) {
            throw new Rejected(VerificationStatus.MALFORMED, null, "header lacks kid");
        }
        Object typ = jws.getHeaders().getObjectHeaderValue("typ");
        EcJwk key = keys.apply(kid);
        if (key == null) {
            throw new Rejected(VerificationStatus.UNKNOWN_KEY, kid, "no published key " + kid);
        }
        String signature = token.substring(token.lastIndexOf('.') + 1);
        byte[] raw = Base64.getUrlDecoder().decode(signature);
        if (raw.length != 64 || !B64.encodeToString(raw).equals(signature)) {
            // a 64-byte signature has exactly one base64url spelling; other spellings hide flipped bits
            throw new Rejected(VerificationStatus.INVALID_SIGNATURE, kid, "not a canonical 64-byte ES256 signature");
        }
        jws.setKey(key.publicKey());
        try {
            if (!jws.verifySignature()) {
                throw new Rejected(VerificationStatus.INVALID_SIGNATURE, kid, "signature does not match");
            }
        } catch (JoseException e) {
            throw new Rejected(VerificationStatus.INVALID_SIGNATURE, kid, "signature does not match");
        }
        Map<String, Object> payload;
        try {
            payload = JSON.readValue(jws.getUnverifiedPayloadBytes(), OBJECT);
        } catch (Exception e) {
            throw new Rejected(VerificationStatus.MALFORMED, kid, "unreadable payload");
        }
        if (payload == null) {
            throw new Rejected(VerificationStatus.MALFORMED, kid, "empty payload");
        }
        return new Checked(kid, typ instanceof String t ? t : null, key, payload);
    }

    /**
     * The payload of a signed document (a revocation list) whose signature holds under one of {@code keys} and whose
     * {@code typ} is {@code expectedTyp}.
     *
     * @throws IllegalArgumentException naming what is wrong, when anything is
     */
    public static Map<String, Object> verifiedDocument(String jws, String expectedTyp, Function<String, EcJwk> keys) {
        Checked checked;
        try {
            checked = verify(jws, keys);
        } catch (Rejected e) {
            throw new IllegalArgumentException(e.status == VerificationStatus.UNKNOWN_KEY ? "signed by an unknown key" : e.getMessage());
        }
        if (!expectedTyp.equals(checked.typ())) {
            throw new IllegalArgumentException("unexpected typ " + checked.typ());
        }
        return checked.payload();
    }
}
