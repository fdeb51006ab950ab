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
}
