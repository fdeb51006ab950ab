package kz.ehr.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.KafkaCredentials;
import kz.ehr.events.kafka.KafkaPrincipals;
import kz.ehr.local.Databases;
import kz.ehr.local.KafkaAccess;
import kz.ehr.local.LocalKafkaBroker;
import kz.ehr.local.LocalPostgres;

/**
 * The real broker and database a test JVM uses, started at most once per JVM.
 * <ul>
 * <li>Kafka: {@code EHR_TEST_KAFKA} names a running broker (with {@code EHR_TEST_KAFKA_CREDENTIALS}, the directory
 * of its SCRAM passwords, e.g. {@code .ehr/kafka-credentials}); otherwise a broker is started in this JVM on free
 * ports with its data and passwords under {@code target/}. Either way it authenticates every client (SCRAM) and
 * authorises by ACL: tests log in as the admin ({@link #kafkaAdmin}), as a service ({@link #kafkaServiceConfig}) or
 * as a provider adapter ({@link #kafkaProvider}).</li>
 * <li>PostgreSQL: {@code EHR_PG_HOST}/{@code EHR_PG_PORT}/{@code EHR_PG_USER}/{@code EHR_PG_PASSWORD}, default
 * 127.0.0.1:5432 as postgres; when nothing listens there, an embedded PostgreSQL is started.</li>
 * </ul>
 * Each test database is dropped and created afresh the first time a JVM asks for it. {@code EHR_TEST_DB_SUFFIX}
 * (letters, digits, underscore) is appended to every test database's name, so two checkouts can run their suites on
 * one server at once without emptying each other's databases.
 */
public final class TestPlatform {
    private static LocalKafkaBroker broker;
    private static String bootstrapServers;
    private static EmbeddedPostgres embeddedPostgres;
    private static String pgHost;
    private static int pgPort;
    private static final Set<String> FRESH_DATABASES = ConcurrentHashMap.newKeySet();
    private static final String KAFKA_PROPERTY = "ehr.test.kafka.bootstrap";
    private static final String KAFKA_CREDENTIALS_PROPERTY = "ehr.test.kafka.credentials";
    private static final String PG_PROPERTY = "ehr.test.pg.address";
    private static final String FRESH_PROPERTY = "ehr.test.pg.fresh";

    private TestPlatform() {
    }

    public static synchronized String kafkaBootstrapServers() {
        if (bootstrapServers == null) {
            // Quarkus loads this class in more than one class loader; the JVM-wide property makes the broker one per JVM
            bootstrapServers = System.getProperty(KAFKA_PROPERTY);
        }
        if (bootstrapServers == null) {
            String external = System.getenv("EHR_TEST_KAFKA");
            if (external != null && !external.isBlank()) {
                String dir = System.getenv("EHR_TEST_KAFKA_CREDENTIALS");
                if (dir == null || dir.isBlank()) {
                    throw new IllegalStateException("EHR_TEST_KAFKA needs EHR_TEST_KAFKA_CREDENTIALS: the directory with its "
                            + "admin.password (e.g. .ehr/kafka-credentials)");
                }
                KafkaCredentials credentials = KafkaCredentials.in(Path.of(dir).toAbsolutePath());
                KafkaAccess.apply(credentials.clients(external, KafkaPrincipals.ADMIN), credentials, List.of());
                bootstrapServers = external;
                System.setProperty(KAFKA_CREDENTIALS_PROPERTY, credentials.dir().toString());
            } else {
                Path dir = Path.of("target", "test-kafka-" + ProcessHandle.current().pid()).toAbsolutePath();
                broker = LocalKafkaBroker.start(dir, LocalKafkaBroker.freePort(), LocalKafkaBroker.freePort());
                bootstrapServers = broker.bootstrapServers();
                System.setProperty(KAFKA_CREDENTIALS_PROPERTY, broker.credentials().dir().toString());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    broker.close();
                    deleteTree(dir);
                }, "test-kafka-shutdown"));
            }
            System.setProperty(KAFKA_PROPERTY, bootstrapServers);
        }
        return bootstrapServers;
    }

    /** The SCRAM passwords of the test broker's principals. */
    public static KafkaCredentials kafkaCredentials() {
        kafkaBootstrapServers();
        return KafkaCredentials.in(Path.of(System.getProperty(KAFKA_CREDENTIALS_PROPERTY)));
    }

    /** Clients logged in as the broker's super user: for tests that feed topics and read them back. */
    public static KafkaClients kafkaAdmin() {
        return kafkaAs(KafkaPrincipals.ADMIN);
    }

    /** Clients logged in as {@code principal}, e.g. {@code KafkaPrincipals.Service.BILLING.principal}. */
    public static KafkaClients kafkaAs(String principal) {
        return kafkaCredentials().clients(kafkaBootstrapServers(), principal);
    }

    /** A Kafka-native adapter's clients: its principal and topic exist (and only it may write there) from now on. */
    public static synchronized KafkaClients kafkaProvider(String providerId) {
        return KafkaAccess.grantProvider(kafkaAdmin(), kafkaCredentials(), providerId);
    }

    /**
     * What a service needs to reach the test broker as its own principal: {@code kafka.bootstrap.servers} and the
     * {@code EHR_KAFKA_USER}/{@code EHR_KAFKA_PASSWORD} its application.properties puts into {@code kafka.sasl.jaas.config}.
     */
    public static Map<String, String> kafkaServiceConfig(KafkaPrincipals.Service service) {
        return Map.of("kafka.bootstrap.servers", kafkaBootstrapServers(),
                "EHR_KAFKA_USER", service.principal,
                "EHR_KAFKA_PASSWORD", kafkaCredentials().password(service.principal));
    }

    public static String pgUser() {
        return env("EHR_PG_USER", "postgres");
    }

    public static String pgPassword() {
        return env("EHR_PG_PASSWORD", "");
    }

    /**
     * JDBC URL of a database that exists and was emptied when this JVM first asked for it, provisioned like a
     * service's: owned by its owner role, opened by its login role ({@link #roles}), closed to everyone else.
     */
    public static synchronized String freshDatabase(String baseName) {
        ensurePostgres();
        String name = databaseName(baseName);
        String fresh = System.getProperty(FRESH_PROPERTY, "");
        if (FRESH_DATABASES.add(name) && !(("," + fresh + ",").contains("," + name + ","))) {
            Databases.provision(pgHost, pgPort, pgUser(), pgPassword(), name, roles(baseName), true);
            System.setProperty(FRESH_PROPERTY, fresh.isEmpty() ? name : fresh + "," + name);
        }
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + name;
    }

    /**
     * The owner and login roles of a test database. The passwords follow from the names (a test database holds no
     * secret, and two JVMs that provision the same roles then agree on them).
     */
    public static Databases.ServiceRoles roles(String baseName) {
        String name = databaseName(baseName);
        return Databases.ServiceRoles.of(name, "test-" + Databases.ServiceRoles.ownerOf(name), "test-" + Databases.ServiceRoles.loginOf(name));
    }

    private static String databaseName(String baseName) {
        return baseName + databaseSuffix();
    }

    private static void ensurePostgres() {
        if (pgHost != null) {
            return;
        }
        String known = System.getProperty(PG_PROPERTY);
        if (known != null) {
            pgHost = known.substring(0, known.lastIndexOf(':'));
            pgPort = Integer.parseInt(known.substring(known.lastIndexOf(':') + 1));
            return;
        }
        String host = env("EHR_PG_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("EHR_PG_PORT", "5432"));
        if (LocalPostgres.isListening(host, port)) {
            pgHost = host;
            pgPort = port;
            System.setProperty(PG_PROPERTY, host + ":" + port);
            return;
        }
        int embeddedPort = LocalKafkaBroker.freePort();
        Path dir = Path.of("target", "test-pg-" + ProcessHandle.current().pid(), "data").toAbsolutePath();
        embeddedPostgres = LocalPostgres.startEmbedded(dir, embeddedPort);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embeddedPostgres.close();
            } catch (IOException ignored) {
                // shutting down
            }
            deleteTree(dir.getParent());
        }, "test-pg-shutdown"));
        pgHost = "127.0.0.1";
        pgPort = embeddedPort;
        System.setProperty(PG_PROPERTY, pgHost + ":" + pgPort);
    }

    /** {@code EHR_TEST_DB_SUFFIX}, checked, for anything else that names its own test database. */
    public static String databaseSuffix() {
        String suffix = env("EHR_TEST_DB_SUFFIX", "");
        if (!suffix.matches("[A-Za-z0-9_]*")) {
            throw new IllegalStateException("EHR_TEST_DB_SUFFIX may hold only letters, digits and underscores: " + suffix);
        }
        return suffix.toLowerCase(Locale.ROOT);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Deletes a directory and everything below it (a test broker's data, say); nothing when it is missing. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
