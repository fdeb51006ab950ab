package kz.ehr.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import kz.ehr.security.StaffTokens;

/**
 * Staff bearer tokens for tests, signed with the test-only key in {@code ehr-test-auth/} — the key the services'
 * test profiles trust. {@code given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS))}.
 */
public final class TestTokens {
    /** Classpath location of the public half, for {@code mp.jwt.verify.publickey.location}. */
    public static final String PUBLIC_KEY_RESOURCE = "ehr-test-auth/public.pem";

    private static final PrivateKey KEY = StaffTokens.readPrivatePem(resource("ehr-test-auth/private.pem"));

    private TestTokens() {
    }

    public static String of(String user, String... roles) {
        return StaffTokens.sign(KEY, user, List.of(roles), Instant.now(), Duration.ofHours(1));
    }

    /** A token that expired an hour ago. */
    public static String expired(String user, String... roles) {
        return StaffTokens.sign(KEY, user, List.of(roles), Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    }

    /** A well-formed token with the right claims signed by a key nobody trusts. */
    public static String forged(String user, String... roles) {
        return StaffTokens.sign(StaffTokens.newKeyPair().getPrivate(), user, List.of(roles), Instant.now(), Duration.ofHours(1));
    }

    /**
     * A token of exactly this JWT payload signed by the trusted test key, for tests showing that the services refuse
     * claims {@link StaffTokens#sign} never writes (wrong issuer or audience, too long a lifetime, not yet valid).
     */
    public static String signedPayload(String payloadJson) {
        return StaffTokens.signRs256(KEY, payloadJson);
    }

    /** The public key as a file, for services started as processes ({@code -Dmp.jwt.verify.publickey.location=…}). */
    public static Path publicKeyFile() {
        try {
            Path file = Files.createTempFile("ehr-test-auth", ".pem");
            Files.writeString(file, resource(PUBLIC_KEY_RESOURCE));
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
