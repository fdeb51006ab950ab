package kz.ehr.certificates.verifier;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The certificate token: a compact JWS (RFC 7515) with header {@code {"alg":"ES256","kid":<RFC 7638>,"typ":"kz-ehr-cert+jws"}}
 * and a canonical JSON payload (members sorted by name at every level, no whitespace), signed with ES256 (P-256,
 * SHA-256, the 64-byte r||s signature of RFC 7518).
 */
public final class CertificateJws {
    public static final String TYPE = "kz-ehr-cert+jws";
    static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> OBJECT = new com.fasterxml.jackson.core.type.TypeReference<>() {
    };
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

    /** Media type of a signed revocation list. */
    public static final String REVOCATIONS_TYPE = "kz-ehr-revocations+jws";

    public static String sign(Map<String, Object> claims, String kid, PrivateKey key) {
        return sign(claims, TYPE, kid, key);
    }

    public static String sign(Map<String, Object> claims, String typ, String kid, PrivateKey key) {
        Map<String, Object> header = new TreeMap<>(Map.of("alg", "ES256", "kid", kid, "typ", typ));
        String signingInput = B64.encodeToString(canonical(header)) + "." + B64.encodeToString(canonical(claims));
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(key);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with key " + kid, e);
        }
    }

    /** The payload of a token this service signed and stored itself; never use on a token from outside. */
    public static Map<String, Object> unverifiedClaims(String token) {
        try {
            String payload = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
            return JSON.readValue(Base64.getUrlDecoder().decode(payload),
                    OBJECT);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a certificate token", e);
        }
    }

    /**
     * The payload of a signed document (a revocation list) whose signature holds under one of {@code keys} and whose
     * {@code typ} is {@code expectedTyp}.
     *
     * @throws IllegalArgumentException naming what is wrong, when anything is
     */
    public static Map<String, Object> verifiedDocument(String jws, String expectedTyp, java.util.function.Function<String, EcJwk> keys) {
        String[] parts = jws.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a compact JWS");
        }
        try {
            Map<String, Object> header = JSON.readValue(Base64.getUrlDecoder().decode(parts[0]),
                    OBJECT);
            if (!"ES256".equals(header.get("alg")) || !expectedTyp.equals(header.get("typ"))) {
                throw new IllegalArgumentException("unexpected alg or typ");
            }
            EcJwk key = header.get("kid") instanceof String kid ? keys.apply(kid) : null;
            if (key == null) {
                throw new IllegalArgumentException("signed by an unknown key");
            }
            byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(key.publicKey());
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (sig.length != 64 || !B64.encodeToString(sig).equals(parts[2]) || !s.verify(sig)) {
                throw new IllegalArgumentException("signature does not match");
            }
            return JSON.readValue(Base64.getUrlDecoder().decode(parts[1]),
                    OBJECT);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("unreadable signed document: " + e.getMessage(), e);
        }
    }
}
