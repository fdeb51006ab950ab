package kz.ehr.certificates.verifier;

import java.security.interfaces.ECPublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.HashUtil;
import org.jose4j.lang.JoseException;

/**
 * A P-256 public key as a JWK (RFC 7517, through jose4j), with its RFC 7638 thumbprint as key id. Only P-256 keys
 * exist here: ES256 is the one algorithm certificates are signed and verified with.
 */
public final class EcJwk {
    private final String kid;
    private final EllipticCurveJsonWebKey jwk;

    private EcJwk(EllipticCurveJsonWebKey jwk) {
        this.jwk = jwk;
        this.kid = jwk.calculateBase64urlEncodedThumbprint(HashUtil.SHA_256);
    }

    public static EcJwk of(ECPublicKey key) {
        EllipticCurveJsonWebKey jwk = new EllipticCurveJsonWebKey(key);
        if (!"P-256".equals(jwk.getCurveName())) {
            throw new IllegalArgumentException("not a P-256 key");
        }
        return new EcJwk(jwk);
    }

    /** Reads a JWK; only EC P-256 keys whose kid (when given) is their own thumbprint are accepted. */
    public static EcJwk parse(Map<String, Object> json) {
        if (!"EC".equals(json.get("kty")) || !"P-256".equals(json.get("crv"))) {
            throw new IllegalArgumentException("not an EC P-256 key");
        }
        Map<String, Object> publicPart = new LinkedHashMap<>(json);
        publicPart.remove("d"); // a published key never signs
        try {
            EcJwk parsed = new EcJwk((EllipticCurveJsonWebKey) PublicJsonWebKey.Factory.newPublicJwk(publicPart));
            if (json.get("kid") != null && !parsed.kid.equals(json.get("kid"))) {
                throw new IllegalArgumentException("kid is not the RFC 7638 thumbprint of the key");
            }
            return parsed;
        } catch (JoseException | ClassCastException e) {
            throw new IllegalArgumentException("invalid EC key: " + e.getMessage(), e);
        }
    }

    public String kid() {
        return kid;
    }

    public ECPublicKey publicKey() {
        return jwk.getECPublicKey();
    }

    /** The public JWK members; {@code status} tells verifiers whether the key still signs. */
    public Map<String, Object> toJson(String status) {
        Map<String, Object> m = new LinkedHashMap<>(jwk.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        m.put("kid", kid);
        m.put("use", "sig");
        m.put("alg", CertificateJws.ALGORITHM);
        if (status != null) {
            m.put("status", status);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EcJwk other && other.kid.equals(kid);
    }

    @Override
    public int hashCode() {
        return kid.hashCode();
    }
}
