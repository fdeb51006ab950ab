package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;
import kz.ehr.testsupport.TestKafka;
import kz.ehr.testsupport.TestPlatform;

/**
 * Ordered versions (issue #15): two ingestion instances take concurrent resends of one PATIENT record, each with other
 * content. Every content gets its own version, 1..N, and the patient index, certificates and billing all end on the
 * content of version N.
 */
class VersionOrderIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int THREADS = 6;
    static final int ROUNDS = 3;
    static RunningPlatform platform;
    static ServiceProcess secondIngestion;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = RunningPlatform.start(TestPlatform.kafkaBootstrapServers(), TestPlatform.kafkaCredentials(), "_versions");
        secondIngestion = platform.secondInstance("ingestion-service");
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void concurrentResendsThroughTwoIngestionInstancesGetOrderedVersionsAndEveryServiceEndsOnTheLatest() throws Exception {
        String localId = "P-" + UUID.randomUUID();
        String recordId = "pat-" + UUID.randomUUID();
        String iin = "900101400013";
        CyclicBarrier together = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> posted = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                // half the threads on each instance: two batches racing for the same record on two JVMs
                ServiceProcess ingestion = t % 2 == 0 ? platform.ingestion() : secondIngestion;
                posted.add(pool.submit(() -> {
                    for (int r = 0; r < ROUNDS; r++) {
                        String line = """
                                {"recordId":"%s","type":"PATIENT","patient":{"localId":"%s","iin":"%s","lastName":"Ахметова",\
                                "firstName":"Айгерим","birthDate":"1990-01-01","sex":"F","phone":"+7701%07d"}}"""
                                .formatted(recordId, localId, iin, r * THREADS + thread);
                        together.await(60, TimeUnit.SECONDS);
                        HttpResponse<String> answer = ingestion.post("/api/v1/records", "application/x-ndjson",
                                "Bearer " + platform.key, line + "\n");
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                        assertThat(JSON.readTree(answer.body()).get("accepted").asInt()).as(answer.body()).isEqualTo(1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : posted) {
                f.get(180, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<HealthRecordEvent> versions = TestKafka.readUntil(Topics.PATIENTS.topic, HealthRecordEvent.class,
                e -> e.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(60));
        assertThat(versions).extracting(HealthRecordEvent::getRecordVersion)
                .as("every content its own version, 1..N: none taken twice, none skipped")
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, THREADS * ROUNDS).boxed().toList());
        HealthRecordEvent latest = versions.stream().filter(e -> e.getRecordVersion() == THREADS * ROUNDS).findFirst().orElseThrow();
        String latestPhone = latest.getPatient().getPhone();
        String latestEvent = latest.getEnvelope().getEventId();

        String enterpriseId = platform.await("the patient index links the record", Duration.ofSeconds(90), () -> {
            HttpResponse<String> r = platform.patientIndex().get("/api/v1/source-records/" + platform.providerId + "/" + localId);
            return r.statusCode() == 200 ? JSON.readTree(r.body()).get("enterpriseId").asText() : null;
        });
        platform.await("the patient index holds version " + THREADS * ROUNDS + " (phone " + latestPhone + ")", Duration.ofSeconds(90), () -> {
            JsonNode patient = JSON.readTree(platform.patientIndex().get("/api/v1/patients/" + enterpriseId).body());
            return latestPhone.equals(patient.path("golden").path("phone").asText()) ? patient : null;
        });
        for (ServiceProcess projection : List.of(platform.certificates(), platform.billing())) {
            platform.await(projection.name + " holds version " + THREADS * ROUNDS + " of the record, and only it", Duration.ofSeconds(90), () -> {
                List<String> held = new ArrayList<>();
                for (JsonNode e : JSON.readTree(projection.get("/api/v1/persons/" + iin + "/events").body()).path("events")) {
                    if (recordId.equals(e.path("sourceRecordId").asText())) {
                        held.add(e.path("eventId").asText());
                    }
                }
                return held.equals(List.of(latestEvent)) ? held : null;
            });
        }
    }
}
