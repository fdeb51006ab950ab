package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml must agree with the services' own defaults: names, ports, configuration keys. */
class DockerComposeTests {
    static final Path ROOT = Path.of(System.getProperty("ehr.repo.root", "..")).toAbsolutePath().normalize();

    @ParameterizedTest(name = "{0} listens on {1} in both")
    @CsvSource({"ingestion-service, 8081", "patient-index-service, 8082", "certificate-service, 8083", "billing-service, 8084"})
    @SuppressWarnings("unchecked")
    void composeRunsEachServiceOnItsDefaultPortWithTheSameConfigurationKeys(String service, int port) throws IOException {
        Map<String, Object> compose;
        try (InputStream in = Files.newInputStream(ROOT.resolve("docker-compose.yml"))) {
            compose = new Yaml().load(in);
        }
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertThat(services).containsKeys("kafka", "postgres", service);
        Map<String, Object> definition = (Map<String, Object>) services.get(service);
        assertThat((List<String>) definition.get("ports")).containsExactly(port + ":" + port);

        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
            props.load(in);
        }
        assertThat(props.getProperty("quarkus.http.port")).isEqualTo(String.valueOf(port));
        Map<String, Object> env = (Map<String, Object>) definition.get("environment");
        String allConfig = props.toString();
        for (String key : List.of("EHR_KAFKA", "EHR_PG_HOST", "EHR_PG_PORT", "EHR_PG_USER", "EHR_PG_PASSWORD", "EHR_AUTH_PUBLIC_KEY")) {
            assertThat(env).containsKey(key);
            assertThat(allConfig).as("%s reads %s", service, key).contains("${" + key);
        }
        // the staff tokens' public key is mounted where EHR_AUTH_PUBLIC_KEY points
        assertThat((List<String>) definition.get("volumes")).anyMatch(v -> v.endsWith(":" + env.get("EHR_AUTH_PUBLIC_KEY") + ":ro"));

        // its own login role (DML only) and owner role (migrations), passwords from .env only
        String database = String.valueOf(props.getProperty("quarkus.datasource.jdbc.url")).replaceAll(".*/(ehr_[a-z]+).*", "$1");
        assertThat(env).containsEntry("EHR_PG_USER", database + "_app").containsEntry("EHR_PG_OWNER", database + "_owner");
        String prefix = database.toUpperCase(java.util.Locale.ROOT);
        assertThat(String.valueOf(env.get("EHR_PG_PASSWORD"))).startsWith("${" + prefix + "_APP_PASSWORD:?");
        assertThat(String.valueOf(env.get("EHR_PG_OWNER_PASSWORD"))).startsWith("${" + prefix + "_OWNER_PASSWORD:?");
        assertThat((List<String>) ((Map<String, Object>) services.get("db-init")).get("command")).contains(database);
        // not root; a health check that asks this service's own port (no unset variable)
        assertThat(String.valueOf(definition.get("user"))).matches("[1-9][0-9]*:[1-9][0-9]*");
        List<String> health = (List<String>) ((Map<String, Object>) definition.get("healthcheck")).get("test");
        assertThat(String.join(" ", health)).contains("/dev/tcp/127.0.0.1/" + port + " ").contains("/q/health/ready").doesNotContain("$");
    }

    @org.junit.jupiter.api.Test
    @SuppressWarnings("unchecked")
    void composePublishesNeitherPostgresNorKafkaAndTakesEverySecretFromAnUncommittedEnvFile() throws IOException {
        String text = Files.readString(ROOT.resolve("docker-compose.yml"));
        Map<String, Object> services = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(text)).get("services");
        assertThat(((Map<String, Object>) services.get("postgres"))).doesNotContainKey("ports");
        assertThat(((Map<String, Object>) services.get("kafka"))).doesNotContainKey("ports");
        assertThat(text).doesNotContain("POSTGRES_PASSWORD: postgres").doesNotContain("EHR_PG_USER: postgres");
        // every required variable (${NAME:?…}) is in .env.example, and .env itself is ignored by git
        Properties example = new Properties();
        try (InputStream in = Files.newInputStream(ROOT.resolve(".env.example"))) {
            example.load(in);
        }
        java.util.regex.Matcher required = java.util.regex.Pattern.compile("\\$\\{([A-Z0-9_]+):\\?").matcher(text);
        int count = 0;
        while (required.find()) {
            assertThat(example).as(".env.example names %s", required.group(1)).containsKey(required.group(1));
            count++;
        }
        assertThat(count).isGreaterThanOrEqualTo(9);
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env");
    }
    @ParameterizedTest(name = "{0} reaches Kafka over SASL_SSL as {1}")
    @CsvSource({"ingestion-service, ingestion-service", "patient-index-service, patient-index-service",
            "certificate-service, certificate-service", "billing-service, billing-service"})
    @SuppressWarnings("unchecked")
    void composeServicesReachKafkaOnlyOverSaslSslAsTheirOwnPrincipal(String service, String principal) throws IOException {
        String text = Files.readString(ROOT.resolve("docker-compose.yml"));
        Map<String, Object> services = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(text)).get("services");
        Map<String, Object> definition = (Map<String, Object>) services.get(service);
        Map<String, Object> env = (Map<String, Object>) definition.get("environment");
        // the broker's TLS listener, the broker's certificate from the kafka-tls volume as the only trust anchor
        assertThat(env).containsEntry("EHR_KAFKA", "kafka:9093").containsEntry("EHR_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM").containsEntry("KAFKA_SSL_TRUSTSTORE_LOCATION", "/tls/broker.crt");
        assertThat((List<String>) definition.get("volumes")).contains("kafka-tls:/tls:ro");
        // its own principal's password, from .env, the same variable kafka-init makes the SCRAM user with
        String variable = kz.ehr.events.kafka.KafkaCredentials.environmentName(principal);
        assertThat(String.valueOf(env.get("EHR_KAFKA_PASSWORD"))).startsWith("${" + variable + ":?");
        Map<String, Object> init = (Map<String, Object>) services.get("kafka-init");
        assertThat(String.valueOf(((Map<String, Object>) init.get("environment")).get(variable))).startsWith("${" + variable + ":?");
        assertThat((Map<String, Object>) definition.get("depends_on")).containsKey("kafka-init");
        // no plaintext Kafka anywhere; the broker starts from the tested script (ComposeBrokerIT), after its TLS key
        assertThat(text).doesNotContain("PLAINTEXT://").doesNotContain("SECURITY_PROTOCOL: PLAINTEXT").doesNotContain("kafka:9092");
        Map<String, Object> kafka = (Map<String, Object>) services.get("kafka");
        assertThat(String.valueOf(kafka.get("entrypoint"))).contains("/scripts/kafka-start.sh");
        assertThat((Map<String, Object>) kafka.get("depends_on")).containsKey("kafka-tls");
        assertThat((List<String>) init.get("command")).contains("kz.ehr.local.KafkaAccess", "--truststore");
    }

    @org.junit.jupiter.api.Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryServicesMetricsWithATokenFromASecretAndGrafanaListensOnLoopbackOnly() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> prometheus = (Map<String, Object>) services.get("prometheus");
        Map<String, Object> grafana = (Map<String, Object>) services.get("grafana");
        // images pinned by version
        for (Map<String, Object> s : List.of(prometheus, grafana)) {
            assertThat(String.valueOf(s.get("image"))).matches("[a-z/]+:v?[0-9]+\\.[0-9]+\\.[0-9]+");
        }
        // nothing of Prometheus is published; Grafana only on the loopback address
        assertThat(prometheus).doesNotContainKey("ports");
        assertThat((List<String>) grafana.get("ports")).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("127.0.0.1:"));
        assertThat(String.valueOf(((Map<String, Object>) grafana.get("environment")).get("GF_SECURITY_ADMIN_PASSWORD")))
                .startsWith("${GRAFANA_ADMIN_PASSWORD:?");

        // the token file: a compose secret from .env, mounted where the scrape config reads it
        List<String> secrets = (List<String>) prometheus.get("secrets");
        assertThat(secrets).hasSize(1);
        Map<String, Object> secret = (Map<String, Object>) ((Map<String, Object>) compose.get("secrets")).get(secrets.get(0));
        assertThat(String.valueOf(secret.get("file"))).startsWith("${EHR_PROMETHEUS_TOKEN_FILE:?");
        String mounted = ((List<String>) prometheus.get("volumes")).stream().filter(v -> v.endsWith(":/etc/prometheus/prometheus.yml:ro"))
                .findFirst().orElseThrow();
        Map<String, Object> scrape = new Yaml().load(Files.readString(ROOT.resolve(mounted.substring(0, mounted.indexOf(':')))));

        // every service that publishes a port is scraped on it, at /q/metrics, with the bearer token file
        Map<String, String> targets = new java.util.TreeMap<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) scrape.get("scrape_configs")) {
            assertThat(job.get("metrics_path")).as(String.valueOf(job.get("job_name"))).isEqualTo("/q/metrics");
            Map<String, Object> auth = (Map<String, Object>) job.get("authorization");
            assertThat(auth).containsEntry("type", "Bearer").containsEntry("credentials_file", "/run/secrets/" + secrets.get(0));
            for (Map<String, Object> sc : (List<Map<String, Object>>) job.get("static_configs")) {
                for (String target : (List<String>) sc.get("targets")) {
                    targets.put(target, String.valueOf(job.get("job_name")));
                }
            }
        }
        Map<String, String> expected = new java.util.TreeMap<>();
        services.forEach((name, definition) -> {
            Object ports = ((Map<String, Object>) definition).get("ports");
            if (name.endsWith("-service") && ports != null) {
                String port = ((List<String>) ports).get(0).replaceAll(".*:", "");
                expected.put(name + ":" + port, name);
            }
        });
        assertThat(expected).hasSize(4);
        assertThat(targets).isEqualTo(expected);

        // Grafana gets the datasource and the dashboard the panels name
        List<String> volumes = (List<String>) grafana.get("volumes");
        assertThat(volumes).contains("./deploy/grafana/provisioning:/etc/grafana/provisioning:ro",
                "./deploy/grafana/dashboards:/etc/grafana/dashboards:ro");
    }
}
