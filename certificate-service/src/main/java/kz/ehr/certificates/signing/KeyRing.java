package kz.ehr.certificates.signing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import kz.ehr.certificates.verifier.CertificateJws;
import kz.ehr.certificates.verifier.EcJwk;

/**
 * The ES256 signing keys in a PKCS12 file (permissions 600, directory 700). The newest key signs; older keys are
 * retired but stay in the file and in the JWKS so that every certificate they signed keeps verifying.
 * Private keys never leave this class except into the keystore file.
 */
public final class KeyRing {
    /** One key; {@code created} orders keys (the newest signs). The private half is not reachable from outside. */
    public static final class SigningKey {
        private final EcJwk jwk;
        private final PrivateKey privateKey;
        private final Instant created;

        SigningKey(EcJwk jwk, PrivateKey privateKey, Instant created) {
            this.jwk = jwk;
            this.privateKey = privateKey;
            this.created = created;
        }

        public EcJwk jwk() {
            return jwk;
        }

        public Instant created() {
            return created;
        }
    }

    /** A compact JWS and the key that signed it. */
    public record Signed(String token, String kid) {
    }

    private final Path file;
    private final char[] password;
    private volatile List<SigningKey> keys;

    private KeyRing(Path file, char[] password, List<SigningKey> keys) {
        this.file = file;
        this.password = password;
        this.keys = keys;
    }

    /**
     * Opens the keystore at {@code file}, creating it with one new key when it does not exist. With no password
     * given, the password is read from {@code passwordFile}, which must lie outside the keystore's directory (a copy of
     * the key directory — a volume snapshot, a backup — must not carry its own password); a missing password file is
     * generated (600) for a new keystore, or taken over from the former {@code <file>.password} next to the keystore.
     */
    public static synchronized KeyRing open(Path file, String configuredPassword, Path passwordFile) throws IOException, GeneralSecurityException {
        Path dir = file.toAbsolutePath().getParent();
        boolean fromFile = configuredPassword == null || configuredPassword.isEmpty();
        if (fromFile && passwordFile.toAbsolutePath().normalize().startsWith(dir.normalize())) {
            throw new GeneralSecurityException("KEYSTORE_PASSWORD_PLACEMENT: the keystore password file " + passwordFile
                    + " lies inside the key directory " + dir + "; keep it elsewhere (ehr.certificates.keys.keystore-password-file)");
        }
        return locked(file, () -> openLocked(file, fromFile ? password(file, passwordFile) : configuredPassword));
    }

    /** Opens the keystore with this password. */
    public static synchronized KeyRing open(Path file, String password) throws IOException, GeneralSecurityException {
        return locked(file, () -> openLocked(file, password));
    }

    private interface KeystoreAction<T> {
        T run() throws IOException, GeneralSecurityException;
    }

    /** Two services starting at once on a fresh machine must not each create (and overwrite) a key or a password. */
    private static <T> T locked(Path file, KeystoreAction<T> action) throws IOException, GeneralSecurityException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.exists(dir)) {
            Files.createDirectories(dir);
            restrict(dir, "rwx------");
        }
        try (FileChannel lock = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lock.lock()) {
            return action.run();
        }
    }

    private static KeyRing openLocked(Path file, String configuredPassword) throws IOException, GeneralSecurityException {
        if (configuredPassword == null || configuredPassword.isEmpty()) {
            throw new GeneralSecurityException("KEYSTORE_PASSWORD_MISSING: no password for the keystore " + file);
        }
        char[] password = configuredPassword.toCharArray();
        if (!Files.exists(file)) {
            KeyRing ring = new KeyRing(file, password, List.of());
            ring.rotateLocked();
            return ring;
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        List<SigningKey> keys = new ArrayList<>();
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(alias)) {
                X509Certificate cert = (X509Certificate) ks.getCertificate(alias);
                PrivateKey key = (PrivateKey) ks.getKey(alias, password);
                keys.add(new SigningKey(EcJwk.of((ECPublicKey) cert.getPublicKey()), key,
                        Instant.ofEpochMilli(cert.getSerialNumber().longValueExact())));
            }
        }
        if (keys.isEmpty()) {
            throw new GeneralSecurityException("keystore " + file + " holds no signing key");
        }
        keys.sort(Comparator.comparing(SigningKey::created));
        return new KeyRing(file, password, List.copyOf(keys));
    }

    /** Generates a new key that signs from now on; the previous keys stay for verification. */
    public synchronized SigningKey rotate() throws IOException, GeneralSecurityException {
        return locked(file, this::rotateLocked);
    }

    private SigningKey rotateLocked() throws IOException, GeneralSecurityException {
        if (Files.exists(file)) {
            keys = openLocked(file, new String(password)).keys; // another instance sharing the file may have added one
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        Instant created = Instant.now();
        if (!keys.isEmpty() && !created.isAfter(current().created())) {
            created = current().created().plusMillis(1); // creation time is the order; keep it strictly increasing
        }
        EcJwk jwk = EcJwk.of((ECPublicKey) pair.getPublic());
        SigningKey fresh = new SigningKey(jwk, pair.getPrivate(), created);
        List<SigningKey> next = new ArrayList<>(keys);
        next.add(fresh);
        save(next, pair, fresh);
        keys = List.copyOf(next);
        return fresh;
    }

    public SigningKey current() {
        return keys.get(keys.size() - 1);
    }

    public List<SigningKey> all() {
        return keys;
    }

    public EcJwk publicKey(String kid) {
        SigningKey k = key(kid);
        return k == null ? null : k.jwk();
    }

    /** Signs the claims as a certificate with the current key; returns the compact JWS. */
    public String sign(Map<String, Object> claims) {
        return sign(claims, CertificateJws.TYPE).token();
    }

    /** Signs a document of media type {@code typ} with the newest key in the file. */
    public Signed sign(Map<String, Object> claims, String typ) {
        return sign(claims, typ, current().jwk().kid());
    }

    /** Signs with the key {@code kid}, which the caller chose (the service: the key its registry says is current). */
    public Signed sign(Map<String, Object> claims, String typ, String kid) {
        SigningKey k = key(kid);
        if (k == null) {
            throw new IllegalStateException("KEY_NOT_IN_KEYSTORE: the keystore " + file + " holds no key " + kid);
        }
        return new Signed(CertificateJws.sign(claims, typ, kid, k.privateKey), kid);
    }

    public SigningKey key(String kid) {
        for (SigningKey k : keys) {
            if (k.jwk().kid().equals(kid)) {
                return k;
            }
        }
        return null;
    }

    /** Re-reads the file: another instance sharing it may have added a key. */
    public synchronized void reload() throws IOException, GeneralSecurityException {
        keys = locked(file, () -> openLocked(file, new String(password))).keys;
    }

    private void save(List<SigningKey> next, KeyPair freshPair, SigningKey fresh) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, password);
            }
        } else {
            ks.load(null, password);
        }
        X509Certificate cert = SelfSignedCertificate.create(freshPair, fresh.jwk().kid(), fresh.created());
        ks.setKeyEntry(fresh.jwk().kid(), freshPair.getPrivate(), password, new Certificate[] {cert});
        // write next to the file, restrict, then move: never a moment with a world-readable key or half a file
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        restrict(tmp, "rw-------");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, password);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        restrict(file, "rw-------");
    }

    private static String password(Path keystore, Path passwordFile) throws IOException, GeneralSecurityException {
        if (Files.exists(passwordFile)) {
            return Files.readString(passwordFile).trim();
        }
        Path parent = passwordFile.toAbsolutePath().getParent();
        if (!Files.exists(parent)) {
            Files.createDirectories(parent);
            restrict(parent, "rwx------");
        }
        Path former = keystore.resolveSibling(keystore.getFileName() + ".password");
        String pw;
        if (Files.exists(former)) {
            // taken over, not moved: a service of the former version may still read it; delete it once none runs
            pw = Files.readString(former).trim();
        } else if (Files.exists(keystore)) {
            throw new GeneralSecurityException("KEYSTORE_PASSWORD_MISSING: the keystore " + keystore + " exists but its password file "
                    + passwordFile + " does not (set ehr.certificates.keys.keystore-password-file or -password)");
        } else {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            pw = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }
        Path tmp = passwordFile.resolveSibling(passwordFile.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        restrict(tmp, "rw-------");
        Files.writeString(tmp, pw);
        Files.move(tmp, passwordFile, StandardCopyOption.ATOMIC_MOVE);
        return pw;
    }

    private static void restrict(Path p, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException notPosix) {
            // on a non-POSIX file system the directory's ACLs protect the file
        }
    }
}
