package kz.ehr.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import kz.ehr.security.StaffTokens;

/**
 * Staff bearer tokens for tests, signed with a key made when a test JVM first asks for one (never a committed key):
 * the private half stays in this JVM's key directory (owner-only), the public half is what the services under test
 * trust ({@link KafkaAndPostgresResource} and the process platforms point {@code mp.jwt.verify.publickey.location} at
 * {@link #publicKeyFile()}). {@code given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS))}.
 */
public final class TestTokens {
    // Quarkus loads this class in more than one class loader: the JVM-wide property makes the key one per JVM
    private static final String DIR_PROPERTY = "ehr.test.auth.dir";
    private static final Path DIR = keyDirectory();
    private static final PrivateKey KEY = StaffTokens.readPrivatePem(read(DIR.resolve("private.pem")));

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

    /** The trusted public key as a file, for {@code mp.jwt.verify.publickey.location}. */
    public static Path publicKeyFile() {
        return DIR.resolve("public.pem");
    }

    /** The trusted public key's PEM text (an attacker's view of it: it is public). */
    public static String publicKeyPem() {
        return read(publicKeyFile());
    }

    private static synchronized Path keyDirectory() {
        String known = System.getProperty(DIR_PROPERTY);
        if (known != null) {
            return Path.of(known);
        }
        try {
            Path dir = Files.createTempDirectory("ehr-test-auth", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            KeyPair pair = StaffTokens.newKeyPair();
            Path secret = dir.resolve("private.pem");
            Files.writeString(secret, StaffTokens.privatePem(pair.getPrivate()));
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            // readable by others: compose's non-root service users read the public half from a copy of this file
            Files.writeString(dir.resolve("public.pem"), StaffTokens.publicPem(pair.getPublic()));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> TestPlatform.deleteTree(dir), "test-auth-cleanup"));
            System.setProperty(DIR_PROPERTY, dir.toString());
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the test signing key", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
