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
        Map<String, Object> header = new TreeMap<>(Map.of("alg", "ES256", "kid", kid, "typ", TYPE));
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
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                    });
        } catch (Exception e) {
            throw new IllegalArgumentException("not a certificate token", e);
        }
    }
}
