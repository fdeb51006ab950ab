package kz.ehr.platform;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import kz.ehr.events.kafka.KafkaCredentials;
import kz.ehr.events.kafka.KafkaPrincipals;
import kz.ehr.local.LocalKafkaBroker;
import kz.ehr.local.ProjectionSnapshot;
import kz.ehr.testsupport.TestPlatform;
import kz.ehr.testsupport.TestTokens;

/** The four packaged services as processes against one broker, each with a fresh database. */
final class RunningPlatform implements AutoCloseable {
    static final String[] MODULES = {"ingestion-service", "patient-index-service", "certificate-service", "billing-service"};
    static final Map<String, String> DATABASE_PREFIX = Map.of("ingestion-service", "ehr_ingestion",
            "patient-index-service", "ehr_mpi", "certificate-service", "ehr_certificates", "billing-service", "ehr_billing");

    /** The public half of the test signing key, as a file a service process can read. */
    static final Path STAFF_TOKEN_KEY = TestTokens.publicKeyFile();

    final String providerId = "e2e-provider";
    final String key = "e2e-key-" + UUID.randomUUID();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    /** How each module was started, so that a second instance can be started the same way. */
    private final Map<String, Map<String, String>> properties = new HashMap<>();
    private final Map<String, Map<String, String>> environments = new HashMap<>();
    private Path root;
    /** module → JDBC URL of its database. */
    final Map<String, String> databases = new LinkedHashMap<>();

    /**
     * Starts every service against {@code kafka}, each logged in as its own principal with its password from
     * {@code credentials}, databases named {@code <prefix><dbSuffix>}, and waits until all are ready.
     */
    static RunningPlatform start(String kafka, KafkaCredentials credentials, String dbSuffix) throws Exception {
        return start(kafka, credentials, dbSuffix, TestPlatform::freshDatabase);
    }

    /** As {@link #start(String, KafkaCredentials, String)}, with databases from {@code freshDatabase} (name → JDBC URL). */
    static RunningPlatform start(String kafka, KafkaCredentials credentials, String dbSuffix,
                                 java.util.function.UnaryOperator<String> freshDatabase) throws Exception {
        return start(kafka, credentials, dbSuffix, freshDatabase, Map.of());
    }

    /** As above, with extra system properties per module (e.g. lower limits for the security checks). */
    static RunningPlatform start(String kafka, KafkaCredentials credentials, String dbSuffix,
                                 java.util.function.UnaryOperator<String> freshDatabase,
                                 Map<String, Map<String, String>> extraProperties) throws Exception {
        RunningPlatform platform = new RunningPlatform();
        // ehr.apps.root lets a developer run these tests against a snapshot of packaged services
        Path root = Path.of(System.getProperty("ehr.apps.root", System.getProperty("ehr.repo.root", ".."))).toAbsolutePath().normalize();
        platform.root = root;
        try {
            for (String module : MODULES) {
                Map<String, String> props = new HashMap<>();
                props.put("kafka.bootstrap.servers", kafka);
                platform.databases.put(module, freshDatabase.apply(DATABASE_PREFIX.get(module) + dbSuffix));
                props.put("quarkus.datasource.jdbc.url", platform.databases.get(module));
                props.put("quarkus.datasource.username", TestPlatform.pgUser());
                if (!TestPlatform.pgPassword().isEmpty()) {
                    props.put("quarkus.datasource.password", TestPlatform.pgPassword());
                }
                // staff tokens: the services trust the test key, as ./ehr up makes them trust .ehr/auth/public.pem
                props.put("mp.jwt.verify.publickey.location", STAFF_TOKEN_KEY.toString());
                props.putAll(extraProperties.getOrDefault(module, Map.of()));
                // the Kafka password in the environment, as ./ehr up passes it: never on a command line
                Map<String, String> env = Map.of("EHR_PROVIDER_KEYS", platform.providerId + ":" + platform.key,
                        "EHR_DEATH_SENDERS", platform.providerId,
                        "EHR_KAFKA_PASSWORD", credentials.password(KafkaPrincipals.Service.ofApplication(module).principal));
                platform.properties.put(module, props);
                platform.environments.put(module, env);
                platform.services.put(module, ServiceProcess.start(root, module, LocalKafkaBroker.freePort(), props, env));
            }
            for (ServiceProcess s : platform.services.values()) {
                // 300 s: on the shared 2-core machine under load a packaged service has taken over 180 s to start
                s.awaitReady(Duration.ofSeconds(Long.getLong("ehr.test.ready-seconds", 300)));
            }
            return platform;
        } catch (Exception | Error e) {
            platform.close();
            throw e;
        }
    }

    /**
     * A second instance of {@code module} on a port of its own, with the same database, broker and configuration (as
     * {@code ./ehr up --replicas 2} would run it); ready when this returns, stopped with the platform.
     */
    ServiceProcess secondInstance(String module) throws Exception {
        String name = module + "-2";
        ServiceProcess s = ServiceProcess.start(root, module, name, LocalKafkaBroker.freePort(), properties.get(module),
                environments.get(module));
        services.put(name, s);
        s.awaitReady(Duration.ofSeconds(Long.getLong("ehr.test.ready-seconds", 300)));
        return s;
    }

    /**
     * Extra properties for a machine under heavy load: a service waits up to a minute for a database connection (at
     * start, Flyway's first one) instead of the pool's few seconds, so a slow start is not taken for a failure.
     */
    static Map<String, Map<String, String>> underLoad() {
        Map<String, Map<String, String>> props = new HashMap<>();
        for (String module : MODULES) {
            props.put(module, Map.of("quarkus.datasource.jdbc.acquisition-timeout", "60S"));
        }
        return props;
    }

    ServiceProcess ingestion() {
        return services.get("ingestion-service");
    }

    ServiceProcess patientIndex() {
        return services.get("patient-index-service");
    }

    ServiceProcess certificates() {
        return services.get("certificate-service");
    }

    ServiceProcess billing() {
        return services.get("billing-service");
    }

    java.util.Collection<ServiceProcess> all() {
        return services.values();
    }

    /** Where {@link ProjectionSnapshot} reads this platform's projections (as the database superuser of the tests). */
    ProjectionSnapshot.Sources projections() {
        return new ProjectionSnapshot.Sources(databases.get("patient-index-service"), databases.get("certificate-service"),
                databases.get("billing-service"), TestPlatform.pgUser(), TestPlatform.pgPassword());
    }

    HttpResponse<String> submit(String ndjson) throws Exception {
        return ingestion().post("/api/v1/records", "application/x-ndjson", "Bearer " + key, ndjson);
    }

    /** Polls until the probe returns non-null, with a deadline (Awaitility). */
    <T> T await(String what, Duration timeout, Callable<T> probe) throws Exception {
        return poll(what, timeout, probe, () -> {
            StringBuilder logs = new StringBuilder();
            for (ServiceProcess s : services.values()) {
                logs.append("\n--- ").append(s.name).append('\n').append(s.tail());
            }
            return logs.toString();
        });
    }

    /**
     * As {@link #await}, for any platform: {@code detail} adds what helps on a timeout (logs, say). A refused connection
     * (a restarting service) counts as not yet.
     */
    static <T> T poll(String what, Duration timeout, Callable<T> probe, Callable<String> detail) throws Exception {
        try {
            return Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(java.io.IOException.class).until(probe, Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out waiting until " + what + detail.call(), e);
        }
    }

    @Override
    public void close() {
        services.values().forEach(ServiceProcess::close);
    }
}
