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
    }
}
