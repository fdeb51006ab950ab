package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.local.LocalKafkaBroker;
import kz.ehr.testsupport.TestPlatform;

/**
 * One provider record goes in through the ingestion REST API and comes out in all three downstream
 * services — the four packaged services as processes, a real Kafka broker, real PostgreSQL, nothing mocked.
 */
class WalkingSkeletonIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "e2e-key-" + UUID.randomUUID();
    static final List<ServiceProcess> SERVICES = new ArrayList<>();
    static ServiceProcess ingestion;
    static ServiceProcess patientIndex;
    static ServiceProcess certificates;
    static ServiceProcess billing;

    @BeforeAll
    static void startPlatform() throws Exception {
        Path root = Path.of(System.getProperty("ehr.repo.root", "..")).toAbsolutePath().normalize();
        String kafka = TestPlatform.kafkaBootstrapServers();
        ingestion = start(root, "ingestion-service", "ehr_ingestion_e2e", kafka);
        patientIndex = start(root, "patient-index-service", "ehr_mpi_e2e", kafka);
        certificates = start(root, "certificate-service", "ehr_certificates_e2e", kafka);
        billing = start(root, "billing-service", "ehr_billing_e2e", kafka);
        for (ServiceProcess s : SERVICES) {
            s.awaitReady(Duration.ofSeconds(180));
        }
    }

    private static ServiceProcess start(Path root, String module, String database, String kafka) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("kafka.bootstrap.servers", kafka);
        props.put("quarkus.datasource.jdbc.url", TestPlatform.freshDatabase(database));
        props.put("quarkus.datasource.username", TestPlatform.pgUser());
        if (!TestPlatform.pgPassword().isEmpty()) {
            props.put("quarkus.datasource.password", TestPlatform.pgPassword());
        }
        ServiceProcess p = ServiceProcess.start(root, module, LocalKafkaBroker.freePort(), props,
                Map.of("EHR_PROVIDER_KEYS", "e2e-provider:" + KEY));
        SERVICES.add(p);
        return p;
    }

    @AfterAll
    static void stopPlatform() {
        SERVICES.forEach(ServiceProcess::close);
    }

    @Test
    void aRecordPostedToIngestionReachesPatientIndexCertificatesAndBilling() throws Exception {
        String localId = "P-" + UUID.randomUUID();
        String iin = "850315300019";
        String patient = """
                {"recordId":"pat-%s","type":"PATIENT","occurredAt":"2025-03-01T10:15:00+05:00",
                 "patient":{"localId":"%s","iin":"%s","lastName":"Ахметов","firstName":"Ерлан","middleName":"Серикович",
                            "birthDate":"1985-03-15","sex":"M","phone":"+77011234567"}}""".formatted(localId, localId, iin);
        String visit = """
                {"recordId":"enc-%s","type":"ENCOUNTER","occurredAt":"2025-03-02T09:00:00+05:00",
                 "patient":{"localId":"%s","iin":"%s"},
                 "encounter":{"encounterId":"E-1","polyclinicBin":"900101400013","doctorId":"D-7",
                              "start":"2025-03-02T09:00:00+05:00","kind":"VISIT","diagnoses":["I10"]}}""".formatted(localId, localId, iin);
        String ndjson = patient.replace("\n", "") + "\n" + visit.replace("\n", "") + "\n";

        HttpResponse<String> posted = ingestion.post("/api/v1/records", "application/x-ndjson", "Bearer " + KEY, ndjson);

        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(posted.body());
        assertThat(result.get("accepted").asInt()).as(posted.body()).isEqualTo(2);

        JsonNode link = await("patient index links the source record", () -> {
            HttpResponse<String> r = patientIndex.get("/api/v1/source-records/e2e-provider/" + localId);
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        });
        assertThat(link.get("enterpriseId").asText()).isNotBlank();

        for (ServiceProcess projection : List.of(certificates, billing)) {
            JsonNode evidence = await(projection.name + " projects both events", () -> {
                JsonNode body = JSON.readTree(projection.get("/api/v1/persons/" + iin + "/events").body());
                return body.path("events").size() >= 2 ? body : null;
            });
            assertThat(evidence.path("events").findValuesAsText("recordType")).contains("PATIENT", "ENCOUNTER");
        }
    }

    /** Polls until the probe returns non-null, with a deadline; no fixed sleeps. */
    static <T> T await(String what, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.call();
            if (value != null) {
                return value;
            }
            Thread.sleep(200);
        }
        StringBuilder logs = new StringBuilder();
        for (ServiceProcess s : SERVICES) {
            logs.append("\n--- ").append(s.name).append('\n').append(s.tail());
        }
        throw new AssertionError("timed out waiting until " + what + logs);
    }
}
