package kz.ehr.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Signs the staff bearer tokens the services accept: RS256 JWTs from issuer {@value #ISSUER} with the user in
 * {@code sub}/{@code upn} and the roles in {@code groups}. Production takes such tokens from the identity
 * provider; the embedded platform and the tests sign their own with a local key pair. JDK only, so the launcher
 * can run it from this jar alone.
 */
public final class StaffTokens {
    public static final String ISSUER = "ehr-stream";

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private StaffTokens() {
    }

    public static String sign(PrivateKey key, String user, List<String> roles, Instant issuedAt, Duration ttl) {
        if (user == null || user.isBlank() || !user.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("user must be 1-64 characters of A-Z a-z 0-9 . _ @ -, got \"" + user + "\"");
        }
        for (String role : roles) {
            if (!Roles.ALL.contains(role)) {
                throw new IllegalArgumentException("unknown role \"" + role + "\"; roles are " + Roles.ALL);
            }
        }
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String payload = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + user + "\",\"upn\":\"" + user + "\""
                + ",\"groups\":[" + roles.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(",")) + "]"
                + ",\"iat\":" + issuedAt.getEpochSecond() + ",\"exp\":" + issuedAt.plus(ttl).getEpochSecond()
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signingInput = base64(header) + "." + base64(payload);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a staff token", e);
        }
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String privatePem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static PrivateKey readPrivatePem(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#8 RSA private key in PEM", e);
        }
    }

    public static PublicKey readPublicPem(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an X.509 RSA public key in PEM", e);
        }
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static String base64(String json) {
        return URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
