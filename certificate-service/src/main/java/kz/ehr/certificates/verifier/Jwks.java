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
        return read(json).keys();
    }

    /**
     * A JWKS as this service publishes it: the keys, when each retired key stopped signing ({@code retiredAt}), the
     * withdrawn kids ({@code withdrawn: [{kid, withdrawnAt}]}, keys no longer published) and when the document was
     * made ({@code generatedAt}; null in a document of the former form).
     */
    public record Document(Map<String, EcJwk> keys, Map<String, KeyLifecycle> lifecycles, Instant generatedAt) {
        public KeyLifecycle lifecycle(String kid) {
            return lifecycles.getOrDefault(kid, KeyLifecycle.CURRENT);
        }
    }

    public static Document read(String json) {
        Map<String, Object> doc;
        try {
            doc = CertificateJws.JSON.readValue(json, CertificateJws.OBJECT);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a JWKS document", e);
        }
        Map<String, EcJwk> out = new HashMap<>();
        Map<String, KeyLifecycle> lifecycles = new HashMap<>();
        if (doc.get("keys") instanceof List<?> keys) {
            for (Object k : keys) {
                if (k instanceof Map<?, ?> m) {
                    try {
                        @SuppressWarnings("unchecked")
                        EcJwk jwk = EcJwk.parse((Map<String, Object>) m);
                        out.put(jwk.kid(), jwk);
                        if (m.get("retiredAt") != null) {
                            lifecycles.put(jwk.kid(), new KeyLifecycle(instant(m.get("retiredAt"), "retiredAt"), null));
                        }
                    } catch (IllegalArgumentException skipped) {
                        // another algorithm or a damaged entry: it cannot verify our tokens anyway
                    }
                }
            }
        }
        if (doc.get("withdrawn") instanceof List<?> withdrawn) {
            for (Object w : withdrawn) {
                if (w instanceof Map<?, ?> m && m.get("kid") instanceof String kid) {
                    out.remove(kid);
                    lifecycles.put(kid, new KeyLifecycle(null, instant(m.get("withdrawnAt"), "withdrawnAt")));
                }
            }
        }
        return new Document(out, lifecycles, doc.get("generatedAt") == null ? null : instant(doc.get("generatedAt"), "generatedAt"));
    }

    static Instant instant(Object value, String member) {
        try {
            return Instant.parse(String.valueOf(value));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(member + " \"" + value + "\" is not an ISO-8601 instant");
        }
    }

    /**
     * Revoked certificate numbers (as {@code kid/number}) with the time each was revoked, from a revocation list
     * document of one key or of all keys ({@code {"lists":[…]}}); entries are {@code {"no", "revokedAt"}} (a list
     * carries no reasons, and any other member of an entry is ignored). Only the signed part ({@code jws}) of each list
     * is believed; a list without a valid signature by a key of the JWKS, or with an entry lacking a readable
     * {@code revokedAt}, is refused as a whole.
     */
    public static Map<String, Instant> parseRevocations(String json, java.util.function.Function<String, EcJwk> keys) {
        return readRevocations(json, keys).revoked();
    }

    /** Revocations as {@link #parseRevocations}, with the signed {@code generatedAt} of the oldest list (null if none says). */
    public record Revocations(Map<String, Instant> revoked, Instant oldestGeneratedAt) {
    }

    public static Revocations readRevocations(String json, java.util.function.Function<String, EcJwk> keys) {
        Map<String, Object> doc;
        try {
            doc = CertificateJws.JSON.readValue(json, CertificateJws.OBJECT);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a revocation list document", e);
        }
        Map<String, Instant> out = new HashMap<>();
        Instant oldest = null;
        Object lists = doc.containsKey("lists") ? doc.get("lists") : List.of(doc);
        for (Object list : (List<?>) lists) {
            Object jws = list instanceof Map<?, ?> m ? m.get("jws") : null;
            if (!(jws instanceof String signed)) {
                throw new IllegalArgumentException("revocation list without signature");
            }
            Map<String, Object> verified = CertificateJws.verifiedDocument(signed, CertificateJws.REVOCATIONS_TYPE, keys);
            Instant generated = verified.get("generatedAt") == null ? Instant.EPOCH : instant(verified.get("generatedAt"), "generatedAt");
            oldest = oldest == null || generated.isBefore(oldest) ? generated : oldest;
            for (Object entry : (List<?>) verified.get("revoked")) {
                Map<?, ?> e = (Map<?, ?>) entry;
                try {
                    out.put(verified.get("kid") + "/" + e.get("no"), Instant.parse(String.valueOf(e.get("revokedAt"))));
                } catch (DateTimeParseException unreadable) {
                    throw new IllegalArgumentException("revocation of " + e.get("no") + " has no readable revokedAt");
                }
            }
        }
        return new Revocations(out, oldest);
    }
}
