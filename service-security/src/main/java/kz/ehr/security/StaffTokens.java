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
 * Signs the staff bearer tokens the services accept: RS256 JWTs from issuer {@value #ISSUER} for audience
 * {@value #AUDIENCE}, with the user in {@code sub}/{@code upn}, the roles in {@code groups} and a lifetime of at most
 * {@link #MAX_LIFETIME}. The services check all of that ({@code META-INF/microprofile-config.properties} of this
 * module), so a token this class would not sign is refused there too. Production takes such tokens from the identity
 * provider; the embedded platform and the tests sign their own with a local key pair. JDK only, so the launcher
 * can run it from this jar alone.
 */
public final class StaffTokens {
    public static final String ISSUER = "ehr-stream";
    /** The platform's one audience; a token minted for another system (same identity provider) is not ours. */
    public static final String AUDIENCE = "ehr-stream";
    /** Environment variable naming another audience, read by the services' config and by {@link TokenIssuer} alike. */
    public static final String AUDIENCE_ENV = "EHR_AUTH_AUDIENCE";
    /** Longest time between {@code iat} and {@code exp}; the services refuse longer ({@code smallrye.jwt.time-to-live}). */
    public static final Duration MAX_LIFETIME = Duration.ofHours(12);

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private StaffTokens() {
    }

    public static String sign(PrivateKey key, String user, List<String> roles, Instant issuedAt, Duration ttl) {
        return sign(key, user, roles, issuedAt, ttl, AUDIENCE);
    }

    /**
     * @throws IllegalArgumentException for an unknown role, a user or audience that is not a plain name, or a
     *                                  lifetime that is not positive or longer than {@link #MAX_LIFETIME}
     */
    public static String sign(PrivateKey key, String user, List<String> roles, Instant issuedAt, Duration ttl,
                              String audience) {
        if (user == null || user.isBlank() || !user.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("user must be 1-64 characters of A-Z a-z 0-9 . _ @ -, got \"" + user + "\"");
        }
        if (audience == null || !audience.matches("[A-Za-z0-9._:/-]{1,100}")) {
            throw new IllegalArgumentException("audience must be 1-100 characters of A-Z a-z 0-9 . _ : / -, got \""
                    + audience + "\"");
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("TOKEN_LIFETIME: a staff token lives more than 0 and at most "
                    + MAX_LIFETIME.toHours() + " hours (the services refuse longer ones), asked for " + ttl);
        }
        for (String role : roles) {
            if (!Roles.ALL.contains(role)) {
                throw new IllegalArgumentException("unknown role \"" + role + "\"; roles are " + Roles.ALL);
            }
        }
        String payload = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + audience + "\",\"sub\":\"" + user + "\",\"upn\":\""
                + user + "\",\"groups\":[" + roles.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(",")) + "]"
                + ",\"iat\":" + issuedAt.getEpochSecond() + ",\"exp\":" + issuedAt.plus(ttl).getEpochSecond()
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        return signRs256(key, payload);
    }

    /**
     * An RS256 JWS of exactly this payload (JSON), with none of {@link #sign}'s rules: for tests that must show the
     * services refuse what {@code sign} would never write (wrong issuer or audience, too long, not yet valid).
     */
    public static String signRs256(PrivateKey key, String payloadJson) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String signingInput = base64(header) + "." + base64(payloadJson);
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
