package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.testsupport.TestPlatform;

/**
 * One provider record goes in through the ingestion REST API and comes out in all three downstream
 * services — the four packaged services as processes, a real Kafka broker, real PostgreSQL, nothing mocked.
 */
class WalkingSkeletonIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static RunningPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = RunningPlatform.start(TestPlatform.kafkaBootstrapServers(), TestPlatform.kafkaCredentials(), "_e2e");
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
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
                 "encounter":{"encounterId":"E-1","polyclinicBin":"100140000013","doctorId":"D-7",
                              "start":"2025-03-02T09:00:00+05:00","kind":"VISIT","diagnoses":["I10"]}}""".formatted(localId, localId, iin);
        String ndjson = patient.replace("\n", "") + "\n" + visit.replace("\n", "") + "\n";

        HttpResponse<String> posted = platform.submit(ndjson);

        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(posted.body());
        assertThat(result.get("accepted").asInt()).as(posted.body()).isEqualTo(2);

        JsonNode link = platform.await("patient index links the source record", Duration.ofSeconds(60), () -> {
            HttpResponse<String> r = platform.patientIndex().get("/api/v1/source-records/" + platform.providerId + "/" + localId);
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        });
        assertThat(link.get("enterpriseId").asText()).isNotBlank();

        for (ServiceProcess projection : List.of(platform.certificates(), platform.billing())) {
            JsonNode evidence = platform.await(projection.name + " projects both events", Duration.ofSeconds(60), () -> {
                JsonNode body = JSON.readTree(projection.get("/api/v1/persons/" + iin + "/events").body());
                return body.path("events").size() >= 2 ? body : null;
            });
            assertThat(evidence.path("events").findValuesAsText("recordType")).contains("PATIENT", "ENCOUNTER");
        }
    }
}
