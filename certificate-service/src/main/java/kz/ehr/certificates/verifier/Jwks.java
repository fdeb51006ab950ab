package kz.ehr.certificates.verifier;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


/** Reads a JWKS document ({@code {"keys":[…]}}) into keys by kid; keys that are not P-256 EC are skipped. */
public final class Jwks {
    private Jwks() {
    }

    public static Map<String, EcJwk> parse(String json) {
        Map<String, Object> doc;
        try {
            doc = CertificateJws.JSON.readValue(json, CertificateJws.OBJECT);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a JWKS document", e);
        }
        Map<String, EcJwk> out = new HashMap<>();
        if (doc.get("keys") instanceof List<?> keys) {
            for (Object k : keys) {
                if (k instanceof Map<?, ?> m) {
                    try {
                        @SuppressWarnings("unchecked")
                        EcJwk jwk = EcJwk.parse((Map<String, Object>) m);
                        out.put(jwk.kid(), jwk);
                    } catch (IllegalArgumentException skipped) {
                        // another algorithm or a damaged entry: it cannot verify our tokens anyway
                    }
                }
            }
        }
        return out;
    }

    /**
     * Revoked certificate numbers (as {@code kid/number}) with the time each was revoked, from a revocation list
     * document of one key or of all keys ({@code {"lists":[…]}}); entries are {@code {"no", "revokedAt"}} (a list
     * carries no reasons, and any other member of an entry is ignored). Only the signed part ({@code jws}) of each list
     * is believed; a list without a valid signature by a key of the JWKS, or with an entry lacking a readable
     * {@code revokedAt}, is refused as a whole.
     */
    public static Map<String, Instant> parseRevocations(String json, java.util.function.Function<String, EcJwk> keys) {
        Map<String, Object> doc;
        try {
            doc = CertificateJws.JSON.readValue(json, CertificateJws.OBJECT);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a revocation list document", e);
        }
        Map<String, Instant> out = new HashMap<>();
        Object lists = doc.containsKey("lists") ? doc.get("lists") : List.of(doc);
        for (Object list : (List<?>) lists) {
            Object jws = list instanceof Map<?, ?> m ? m.get("jws") : null;
            if (!(jws instanceof String signed)) {
                throw new IllegalArgumentException("revocation list without signature");
            }
            Map<String, Object> verified = CertificateJws.verifiedDocument(signed, CertificateJws.REVOCATIONS_TYPE, keys);
            for (Object entry : (List<?>) verified.get("revoked")) {
                Map<?, ?> e = (Map<?, ?>) entry;
                try {
                    out.put(verified.get("kid") + "/" + e.get("no"), Instant.parse(String.valueOf(e.get("revokedAt"))));
                } catch (DateTimeParseException unreadable) {
                    throw new IllegalArgumentException("revocation of " + e.get("no") + " has no readable revokedAt");
                }
            }
        }
        return out;
    }
}
