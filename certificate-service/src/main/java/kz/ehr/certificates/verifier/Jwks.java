package kz.ehr.certificates.verifier;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;

/** Reads a JWKS document ({@code {"keys":[…]}}) into keys by kid; keys that are not P-256 EC are skipped. */
public final class Jwks {
    private Jwks() {
    }

    public static Map<String, EcJwk> parse(String json) {
        Map<String, Object> doc;
        try {
            doc = CertificateJws.JSON.readValue(json, new TypeReference<Map<String, Object>>() {
            });
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

    /** Revoked certificate numbers with their reasons, from one or more revocation list documents. */
    public static Map<String, String> parseRevocations(String json) {
        try {
            Map<String, Object> doc = CertificateJws.JSON.readValue(json, new TypeReference<Map<String, Object>>() {
            });
            Map<String, String> out = new HashMap<>();
            Object lists = doc.containsKey("lists") ? doc.get("lists") : List.of(doc);
            for (Object list : (List<?>) lists) {
                Map<?, ?> l = (Map<?, ?>) list;
                for (Object entry : (List<?>) l.get("revoked")) {
                    Map<?, ?> e = (Map<?, ?>) entry;
                    out.put(l.get("kid") + "/" + e.get("no"), String.valueOf(e.get("reason")));
                }
            }
            return out;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a revocation list document", e);
        }
    }
}
