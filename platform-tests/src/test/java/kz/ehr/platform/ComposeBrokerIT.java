package kz.ehr.platform;

import static kz.ehr.testsupport.KafkaProbes.sendFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.KafkaCredentials;
import kz.ehr.events.kafka.KafkaPrincipals;
import kz.ehr.events.kafka.KafkaPrincipals.Service;
import kz.ehr.local.LocalKafkaBroker;

/**
 * docker-compose.yml's broker without a Docker engine: the very scripts compose runs (kafka-tls.sh makes the TLS key,
 * kafka-start.sh formats and starts the broker, then kz.ehr.local.KafkaAccess as kafka-init runs it), here on the
 * host with Maven Central's Kafka jars in place of the apache/kafka image's (the same version, 4.1.2), on free ports
 * and under the host name localhost. What the compose stack's clients meet: SASL_SSL only, the broker's own
 * certificate, a SCRAM login per principal and the ACL table. ComposePlatformIT (-Pcompose) runs the whole stack.
 */
class ComposeBrokerIT {
    private static final Path SCRIPTS = ComposePlatformIT.ROOT.resolve("local-platform/compose");
    private static final String PROVIDER = "compose-alpha";
    private static Path dir;
    private static Process broker;
    private static String bootstrap;
    private static final Map<String, String> PASSWORDS = new java.util.HashMap<>();

    @BeforeAll
    static void startTheComposeBroker() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "compose-broker");
        Path tls = Files.createDirectories(dir.resolve("tls"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // the image's two Kafka commands, as thin wrappers over the same classes on this JVM's class path
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        wrapper(bin.resolve("kafka-storage.sh"), java, "kafka.tools.StorageTool");
        wrapper(bin.resolve("kafka-server-start.sh"), java, "kafka.Kafka");
        int port = LocalKafkaBroker.freePort();
        bootstrap = "localhost:" + port;
        String tlsPassword = secret();
        for (String principal : List.of(KafkaPrincipals.ADMIN, Service.INGESTION.principal, Service.PATIENT_INDEX.principal,
                Service.CERTIFICATES.principal, Service.BILLING.principal)) {
            PASSWORDS.put(KafkaCredentials.environmentName(principal), secret());
        }
        String providerPassword = secret();
        PASSWORDS.put(KafkaCredentials.environmentName(KafkaPrincipals.provider(PROVIDER)), providerPassword);

        Map<String, String> tlsEnv = Map.of("KAFKA_TLS_PASSWORD", tlsPassword, "TLS_DIR", tls.toString(),
                "KAFKA_TLS_NAMES", "localhost");
        assertThat(run(List.of("bash", SCRIPTS.resolve("kafka-tls.sh").toString()), tlsEnv, dir.resolve("kafka-tls.log")))
                .as("kafka-tls.sh exit code").isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("broker.p12")))).isEqualTo("rw-------");
        assertThat(Files.readString(tls.resolve("broker.crt"))).startsWith("-----BEGIN CERTIFICATE-----");

        ProcessBuilder start = new ProcessBuilder("bash", SCRIPTS.resolve("kafka-start.sh").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("kafka.log").toFile());
        start.environment().putAll(Map.of("KAFKA_ADMIN_PASSWORD", PASSWORDS.get("EHR_KAFKA_PASSWORD_ADMIN"),
                "KAFKA_TLS_PASSWORD", tlsPassword, "CLUSTER_ID", Uuid.randomUuid().toString(), "KAFKA_BIN", bin.toString(),
                "TLS_DIR", tls.toString(), "KAFKA_DATA_DIR", dir.resolve("data").toString(),
                "KAFKA_CONFIG_DIR", Files.createDirectories(dir.resolve("conf")).toString()));
        start.environment().putAll(Map.of("KAFKA_LISTEN_HOST", "127.0.0.1", "KAFKA_CLIENT_PORT", String.valueOf(port),
                "KAFKA_CONTROLLER_PORT", String.valueOf(LocalKafkaBroker.freePort()), "KAFKA_ADVERTISED_HOST", "localhost",
                "CLASSPATH", System.getProperty("java.class.path")));
        broker = start.start();

        // kafka-init: the compose command line, every password from the environment, over SASL_SSL
        Map<String, String> initEnv = new java.util.HashMap<>(PASSWORDS);
        initEnv.remove(KafkaCredentials.environmentName(KafkaPrincipals.provider(PROVIDER)));
        initEnv.put("EHR_KAFKA_PROVIDER_PASSWORDS", PROVIDER + ":" + providerPassword);
        Duration ready = Duration.ofSeconds(Long.getLong("ehr.test.ready-seconds", 300));
        await("the compose broker answering its admin over SASL_SSL").atMost(ready).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    assertThat(broker.isAlive()).as("kafka-start.sh is running (%s)", dir.resolve("kafka.log")).isTrue();
                    try (Admin admin = asTrusting(KafkaPrincipals.ADMIN).admin()) {
                        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                        return true;
                    } catch (Exception e) {
                        return false;
                    }
                });
        assertThat(run(List.of(java, "-cp", System.getProperty("java.class.path"), "kz.ehr.local.KafkaAccess",
                "--bootstrap", bootstrap, "--truststore", tls.resolve("broker.crt").toString()), initEnv, dir.resolve("kafka-init.log")))
                .as("kafka-init (KafkaAccess) exit code, see %s", dir.resolve("kafka-init.log")).isZero();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (broker != null) {
            broker.descendants().forEach(ProcessHandle::destroy);
            broker.destroy();
            broker.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aServiceWritesItsTopicOverTlsAsItsOwnPrincipal() {
        assertThat(sendFailure(asTrusting(Service.INGESTION.principal), Topics.REGISTRY.topic)).isNull();
        assertThat(sendFailure(asTrusting(Service.PATIENT_INDEX.principal), Topics.MPI_LINKS.topic)).isNull();
        // and only its own: the ACL table of ./ehr up's broker holds here too
        assertThat(sendFailure(asTrusting(Service.BILLING.principal), Topics.MPI_LINKS.topic))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void aProviderWritesItsOwnTopicAndNoPlatformTopic() {
        KafkaClients provider = asTrusting(KafkaPrincipals.provider(PROVIDER));
        assertThat(sendFailure(provider, Topics.providerTopic(PROVIDER))).isNull();
        assertThat(sendFailure(provider, Topics.REGISTRY.topic)).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void noClientGetsInWithoutTlsOrWithoutItsPasswordOrWithoutTrustingTheBroker() {
        String ingestion = Service.INGESTION.principal;
        // plaintext, and SCRAM without TLS: the listener speaks TLS only, so neither ever gets an answer
        KafkaClients anonymous = KafkaClients.of(Map.of("bootstrap.servers", bootstrap)).with(quick());
        assertThat(sendFailure(anonymous, Topics.REGISTRY.topic)).isInstanceOf(TimeoutException.class);
        KafkaClients noTls = KafkaClients.of(KafkaClients.scram(bootstrap, ingestion, password(ingestion))).with(quick());
        assertThat(sendFailure(noTls, Topics.REGISTRY.topic)).isInstanceOf(TimeoutException.class);
        // TLS with the JVM's own trust store: the broker's certificate is trusted by no public authority
        KafkaClients untrusting = KafkaClients.of(KafkaClients.scram(bootstrap, ingestion, password(ingestion)))
                .with(Map.of("security.protocol", "SASL_SSL")).with(quick());
        assertThat(sendFailure(untrusting, Topics.REGISTRY.topic)).isInstanceOf(SslAuthenticationException.class);
        // the right certificate, the wrong password
        KafkaClients impostor = KafkaClients.of(KafkaClients.scram(bootstrap, ingestion, "not-the-password")).with(trust()).with(quick());
        assertThat(sendFailure(impostor, Topics.REGISTRY.topic)).isInstanceOf(AuthenticationException.class);
        // the same call with everything right goes through
        assertThat(sendFailure(asTrusting(ingestion), Topics.REGISTRY.topic)).isNull();
    }

    private static KafkaClients asTrusting(String principal) {
        return KafkaClients.of(KafkaClients.scram(bootstrap, principal, password(principal))).with(trust());
    }

    /** What compose gives every service: SASL_SSL, the kafka-tls volume's certificate as the trust store (PEM). */
    private static Map<String, Object> trust() {
        return Map.of("security.protocol", "SASL_SSL", "ssl.truststore.type", "PEM",
                "ssl.truststore.location", dir.resolve("tls/broker.crt").toString());
    }

    private static Map<String, Object> quick() {
        return Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 8_000);
    }

    private static String password(String principal) {
        return PASSWORDS.get(KafkaCredentials.environmentName(principal));
    }

    private static String secret() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static void wrapper(Path file, String java, String mainClass) throws IOException {
        Files.writeString(file, "#!/usr/bin/env bash\nexec '" + java + "' -Xmx512m -cp \"$CLASSPATH\" " + mainClass + " \"$@\"\n");
        file.toFile().setExecutable(true);
    }

    private static int run(List<String> command, Map<String, String> env, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(Long.getLong("ehr.test.ready-seconds", 300), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish; see " + log);
        }
        return p.exitValue();
    }
}
