package kz.ehr.events.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The SCRAM passwords of the embedded broker's principals: a directory (mode 700) with {@code <principal>.password}
 * (mode 600, 32 random hex characters: no comma, no quote, so it fits a SCRAM format argument and a JAAS line) and
 * a ready-to-use {@code <principal>.properties} client file beside it, for adapters and Kafka's own CLI tools.
 */
public final class KafkaCredentials {
    private static final String SUFFIX = ".password";
    private final Path dir;
    private final Map<String, String> environment;
    private final SecureRandom random = new SecureRandom();

    private KafkaCredentials(Path dir, Map<String, String> environment) {
        this.dir = dir;
        this.environment = environment;
    }

    /**
     * Passwords given by the deployment instead of made here (compose's {@code .env}): principal {@code p}'s is
     * {@code EHR_KAFKA_PASSWORD_<P>} ({@code p} upper-cased, '-' as '_'), e.g. {@code EHR_KAFKA_PASSWORD_BILLING_SERVICE}.
     */
    public static KafkaCredentials fromEnvironment(Map<String, String> environment) {
        return new KafkaCredentials(null, Map.copyOf(environment));
    }

    public static String environmentName(String principal) {
        return "EHR_KAFKA_PASSWORD_" + principal.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    public static KafkaCredentials in(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            restrict(dir, "rwx------");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KafkaCredentials(dir, null);
    }

    public Path dir() {
        return dir;
    }

    public Path passwordFile(String principal) {
        return dir.resolve(principal + SUFFIX);
    }

    /** The principal's password, made (and kept) the first time it is asked for. */
    public synchronized String password(String principal) {
        if (environment != null) {
            String password = environment.get(environmentName(principal));
            if (password == null || password.isBlank() || password.contains(",") || password.contains("\"")) {
                throw new IllegalStateException(environmentName(principal) + " must be set, without commas or quotes");
            }
            return password;
        }
        Path file = passwordFile(principal);
        try {
            if (!Files.exists(file)) {
                byte[] bytes = new byte[16];
                random.nextBytes(bytes);
                try {
                    createPrivate(file);
                    Files.writeString(file, HexFormat.of().formatHex(bytes) + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException raced) {
                    // another process made it first: use theirs
                }
            }
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every principal that has a password in this directory, with it. */
    public synchronized Map<String, String> all() {
        if (dir == null) {
            throw new IllegalStateException("passwords from the environment cannot be listed");
        }
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(SUFFIX))
                    .forEach(n -> all.put(n.substring(0, n.length() - SUFFIX.length()), password(n.substring(0, n.length() - SUFFIX.length()))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** Clients logged in as {@code principal} at {@code bootstrapServers} (SASL_PLAINTEXT, SCRAM-SHA-512). */
    public KafkaClients clients(String bootstrapServers, String principal) {
        return KafkaClients.of(KafkaClients.scram(bootstrapServers, principal, password(principal)));
    }

    /** Writes {@code <principal>.properties} (mode 600): the client settings a Kafka CLI or an adapter loads. */
    public Path writeClientProperties(String bootstrapServers, String principal) {
        Path file = dir.resolve(principal + ".properties");
        Properties p = new Properties();
        p.putAll(KafkaClients.scram(bootstrapServers, principal, password(principal)));
        try {
            Files.deleteIfExists(file);
            createPrivate(file);
            try (var out = Files.newOutputStream(file)) {
                p.store(out, "Kafka client settings for principal " + principal);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Created readable by its owner only from the start, so the secret is never in a world-readable file. */
    private static void createPrivate(Path file) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    private static void restrict(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions: nothing more to do here
        }
    }
}
