package kz.ehr.certificates.verifier;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A P-256 public key as a JWK (RFC 7517), with its RFC 7638 thumbprint as key id. */
public record EcJwk(String kid, String x, String y, ECPublicKey publicKey) {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    public static EcJwk of(ECPublicKey key) {
        String x = B64.encodeToString(coordinate(key.getW().getAffineX()));
        String y = B64.encodeToString(coordinate(key.getW().getAffineY()));
        return new EcJwk(thumbprint(x, y), x, y, key);
    }

    /** Reads a JWK; only EC P-256 keys whose kid is their own thumbprint are accepted. */
    public static EcJwk parse(Map<String, Object> jwk) {
        if (!"EC".equals(jwk.get("kty")) || !"P-256".equals(jwk.get("crv"))) {
            throw new IllegalArgumentException("not an EC P-256 key");
        }
        String x = (String) jwk.get("x");
        String y = (String) jwk.get("y");
        if (x == null || y == null) {
            throw new IllegalArgumentException("EC key without coordinates");
        }
        String kid = thumbprint(x, y);
        if (jwk.get("kid") != null && !kid.equals(jwk.get("kid"))) {
            throw new IllegalArgumentException("kid is not the RFC 7638 thumbprint of the key");
        }
        try {
            ECPoint point = new ECPoint(new BigInteger(1, B64D.decode(x)), new BigInteger(1, B64D.decode(y)));
            ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, p256()));
            return new EcJwk(kid, x, y, key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid EC key: " + e.getMessage(), e);
        }
    }

    /** The public JWK members; {@code status} tells verifiers whether the key still signs. */
    public Map<String, Object> toJson(String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kty", "EC");
        m.put("crv", "P-256");
        m.put("x", x);
        m.put("y", y);
        m.put("kid", kid);
        m.put("use", "sig");
        m.put("alg", "ES256");
        if (status != null) {
            m.put("status", status);
        }
        return m;
    }

    /** RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace. */
    public static String thumbprint(String x, String y) {
        String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}";
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECParameterSpec p256() throws GeneralSecurityException {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        return params.getParameterSpec(ECParameterSpec.class);
    }

    /** A coordinate as exactly 32 big-endian bytes, as RFC 7518 requires. */
    private static byte[] coordinate(BigInteger v) {
        byte[] raw = v.toByteArray();
        if (raw.length == 32) {
            return raw;
        }
        byte[] out = new byte[32];
        if (raw.length > 32) {
            return Arrays.copyOfRange(raw, raw.length - 32, raw.length);
        }
        System.arraycopy(raw, 0, out, 32 - raw.length, raw.length);
        return out;
    }
}
