package kz.ehr.mpi.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.events.Envelopes;
import kz.ehr.events.EventCodec;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.events.kafka.ConsumerLoopsMonitor;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestKafka;
import kz.ehr.testsupport.TestPlatform;

/** /q/health/ready reports each consumer loop of the service, and their lag is a Prometheus gauge. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_mpi_test"))
class ConsumerLoopsReadinessTests {
    static final String CHECK = "checks.find { it.name == 'kafka-consumer-loops' }";

    @Test
    void readinessListsBothConsumerLoopsWithTheirLagAndTheConfiguredStallTime() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body(CHECK + ".status", equalTo("UP"))
                .body(CHECK + ".data.'patient-index.alive'", equalTo(true))
                .body(CHECK + ".data.'patient-index.lag'", equalTo(0))
                .body(CHECK + ".data.'patient-index-locator.alive'", equalTo(true))
                .body(CHECK + ".data.stallAfterSeconds", equalTo(120)));
    }

    @Test
    void consumerLagIsExportedPerGroup() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("ehr_consumer_lag{group=\"patient-index\""))
                .body(containsString("ehr_consumer_lag{group=\"patient-index-locator\""));
    }

    @Test
    void aLoopWhoseThreadDiedTurnsReadinessDownAndSaysWhy() throws Exception {
        String topic = "readiness-test-" + UUID.randomUUID();
        try (Admin admin = TestPlatform.kafkaAdmin().admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Instant at = Instant.EPOCH;
        TestKafka.send(topic, "k", MpiLinkEvent.newBuilder().setEnvelope(Envelopes.of("e-1", "LINKED", "test", "r-1", at, at, null))
                .setLinkEventType("LINKED").setEnterpriseId("x").build());
        ConsumerLoopsMonitor monitor = new ConsumerLoopsMonitor(Duration.ofSeconds(2), new SimpleMeterRegistry(), Clock.systemUTC());
        try (BatchConsumerLoop<MpiLinkEvent> dying = monitor.register(new BatchConsumerLoop<MpiLinkEvent>(
                TestPlatform.kafkaAdmin(), "dying-" + topic, List.of(topic), t -> EventCodec.of(MpiLinkEvent.class), 10,
                batch -> {
                    throw new OutOfMemoryError("simulated");
                }))) {
            assertThat(monitor.readiness().getStatus()).as("not started yet").isEqualTo(HealthCheckResponse.Status.DOWN);
            dying.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !dying.health().alive());
            HealthCheckResponse down = monitor.readiness();
            assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(down.getData().orElseThrow()).containsEntry("dying-" + topic + ".alive", false)
                    .containsEntry("dying-" + topic + ".failure", "OutOfMemoryError");
        }
    }
}
