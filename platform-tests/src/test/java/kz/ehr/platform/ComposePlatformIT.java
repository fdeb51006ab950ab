package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.testsupport.TestTokens;

/**
 * The walking skeleton against the production-like stack: docker-compose.yml itself (Kafka, PostgreSQL and the
 * four packaged services in containers) started through Testcontainers. Runs only in the {@code compose} Maven
 * profile ({@code mvn verify -Pcompose}); without a Docker engine it fails at once and says so, it never skips.
 */
class ComposePlatformIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Path ROOT = Path.of(System.getProperty("ehr.repo.root", "..")).toAbsolutePath().normalize();
    static final String[] SERVICES = {"ingestion-service", "patient-index-service", "certificate-service", "billing-service"};
    static final int[] PORTS = {8081, 8082, 8083, 8084};
    static final String PROVIDER = "compose-provider";
    static final String PROVIDER_KEY = "compose-key-" + UUID.randomUUID();

    static ComposeContainer stack;

    @BeforeAll
    static void startStack() throws Exception {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("the compose profile (mvn verify -Pcompose) needs a running Docker engine and "
                    + "found none (see `docker info`); start Docker, or build without -Pcompose to use the embedded "
                    + "Kafka broker and PostgreSQL");
        }
        if (!composeCliPresent()) {
            throw new IllegalStateException("the compose profile runs docker-compose.yml with the Docker Compose v2 CLI "
                    + "(`docker compose version` fails here): install the compose plugin");
        }
        for (String service : SERVICES) {
            if (!Files.exists(ROOT.resolve(service).resolve("target/quarkus-app/quarkus-run.jar"))) {
                throw new IllegalStateException(service + " is not packaged: run mvn -Pcompose verify from the repository root");
            }
        }
        // the services trust the test signing key, mounted as docker-compose.yml mounts ${EHR_AUTH_DIR}/public.pem
        Path auth = Files.createTempDirectory(ROOT.resolve("platform-tests/target"), "compose-auth");
        Files.copy(TestTokens.publicKeyFile(), auth.resolve("public.pem"));
        // a temp directory is owner-only; the services' non-root container users must read the (public) key
        Files.setPosixFilePermissions(auth, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(auth.resolve("public.pem"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        stack = new ComposeContainer("ehr-it-" + UUID.randomUUID().toString().substring(0, 8), new File(ROOT.toFile(), "docker-compose.yml"))
                .withEnv("EHR_AUTH_DIR", auth.toString())
                .withEnv("EHR_PROVIDER_KEYS", PROVIDER + ":" + PROVIDER_KEY)
                .withEnv("EHR_CERT_KEYSTORE_PASSWORD", UUID.randomUUID() + "-" + UUID.randomUUID())
                // Prometheus scrapes with an ops token (readable by its container user); Grafana on a free loopback port
                .withEnv("EHR_PROMETHEUS_TOKEN_FILE", prometheusToken(auth).toString())
                .withEnv("GRAFANA_ADMIN_PASSWORD", UUID.randomUUID().toString())
                .withEnv("GRAFANA_PORT", String.valueOf(kz.ehr.local.LocalKafkaBroker.freePort()))
                .withEnv("KAFKA_CLUSTER_ID", org.apache.kafka.common.Uuid.randomUuid().toString())
                .withRemoveVolumes(true);
        // the database passwords compose requires from .env (.env.example): PostgreSQL's, and each service's two roles
        for (String name : List.of("POSTGRES_PASSWORD", "EHR_INGESTION_OWNER_PASSWORD", "EHR_INGESTION_APP_PASSWORD",
                "EHR_MPI_OWNER_PASSWORD", "EHR_MPI_APP_PASSWORD", "EHR_CERTIFICATES_OWNER_PASSWORD", "EHR_CERTIFICATES_APP_PASSWORD",
                "EHR_BILLING_OWNER_PASSWORD", "EHR_BILLING_APP_PASSWORD",
                // and Kafka's: the admin, each service's principal, the broker's TLS keystore
                "EHR_KAFKA_PASSWORD_ADMIN", "EHR_KAFKA_PASSWORD_INGESTION_SERVICE", "EHR_KAFKA_PASSWORD_PATIENT_INDEX_SERVICE",
                "EHR_KAFKA_PASSWORD_CERTIFICATE_SERVICE", "EHR_KAFKA_PASSWORD_BILLING_SERVICE", "KAFKA_TLS_PASSWORD")) {
            stack = stack.withEnv(name, UUID.randomUUID().toString());
        }
        for (int i = 0; i < SERVICES.length; i++) {
            stack = stack.withExposedService(SERVICES[i], PORTS[i],
                    Wait.forHttp("/q/health/ready").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(6)));
        }
        stack.start();
    }

    static Path prometheusToken(Path dir) throws java.io.IOException {
        Path token = dir.resolve("prometheus.token");
        Files.writeString(token, TestTokens.of("prometheus", kz.ehr.security.Roles.OPS));
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        return token;
    }

    static boolean composeCliPresent() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.stop();
        }
    }

    static String base(String service) {
        for (int i = 0; i < SERVICES.length; i++) {
            if (SERVICES[i].equals(service)) {
                return "http://" + stack.getServiceHost(service, PORTS[i]) + ":" + stack.getServicePort(service, PORTS[i]);
            }
        }
        throw new IllegalArgumentException(service);
    }

    static HttpResponse<String> staffGet(String service, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base(service) + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ServiceProcess.allRoles()).header("X-Purpose", "platform test").GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBatchPostedToTheComposeStackIsLinkedAndReachesCertificatesAndBilling() throws Exception {
        String localId = "P-" + UUID.randomUUID();
        String iin = "850315300019";
        String ndjson = ("{\"recordId\":\"pat-%1$s\",\"type\":\"PATIENT\",\"occurredAt\":\"2025-03-01T10:15:00+05:00\","
                + "\"patient\":{\"localId\":\"%1$s\",\"iin\":\"%2$s\",\"lastName\":\"Ахметов\",\"firstName\":\"Ерлан\","
                + "\"birthDate\":\"1985-03-15\",\"sex\":\"M\"}}\n"
                + "{\"recordId\":\"enc-%1$s\",\"type\":\"ENCOUNTER\",\"occurredAt\":\"2025-03-02T09:00:00+05:00\","
                + "\"patient\":{\"localId\":\"%1$s\",\"iin\":\"%2$s\"},\"encounter\":{\"encounterId\":\"E-1\","
                + "\"polyclinicBin\":\"100140000013\",\"doctorId\":\"D-7\",\"start\":\"2025-03-02T09:00:00+05:00\","
                + "\"kind\":\"VISIT\",\"diagnoses\":[\"I10\"]}}\n").formatted(localId, iin);

        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(base("ingestion-service") + "/api/v1/records"))
                .timeout(Duration.ofSeconds(90)).header("Content-Type", "application/x-ndjson")
                .header("Authorization", "Bearer " + PROVIDER_KEY).POST(HttpRequest.BodyPublishers.ofString(ndjson)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(JSON.readTree(posted.body()).get("accepted").asInt()).as(posted.body()).isEqualTo(2);

        JsonNode link = RunningPlatform.poll("patient index links the source record", Duration.ofSeconds(120), () -> {
            HttpResponse<String> r = staffGet("patient-index-service", "/api/v1/source-records/" + PROVIDER + "/" + localId);
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        }, () -> "");
        assertThat(link.get("enterpriseId").asText()).isNotBlank();

        for (String projection : List.of("certificate-service", "billing-service")) {
            JsonNode evidence = RunningPlatform.poll(projection + " projects both events", Duration.ofSeconds(120), () -> {
                JsonNode body = JSON.readTree(staffGet(projection, "/api/v1/persons/" + iin + "/events").body());
                return body.path("events").size() >= 2 ? body : null;
            }, () -> "");
            assertThat(evidence.path("events").findValuesAsText("recordType")).contains("PATIENT", "ENCOUNTER");
        }
    }
}
