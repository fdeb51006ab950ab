package kz.ehr.mpi.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.mpi.TestPeople;
import kz.ehr.mpi.linking.LinkingMetrics;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/** The dashboard's link rate moves: a new person and the same person from a second provider, counted once each. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_mpi_test"))
class LinkingMetricsTests {
    @Inject
    MeterRegistry metrics;

    @Test
    void aNewPersonAndTheSamePersonFromAnotherProviderCountAsNewPatientAndLinkedExisting() {
        double created = count("new_patient");
        double linked = count("linked_existing");
        double decisions = metrics.get(LinkingMetrics.REVIEW_DECISIONS).tag("decision", "accepted").counter().count();
        TestPeople.Person p = TestPeople.random("F");
        String local = UUID.randomUUID().toString();
        TestPeople.send(PatientIndexTests.patient("damumed", "D-" + local, p));
        PatientIndexTests.enterpriseOf("damumed", "D-" + local);
        TestPeople.send(PatientIndexTests.patient("kmis", "K-" + local, p));
        PatientIndexTests.enterpriseOf("kmis", "K-" + local);
        // other test classes' records may be linked meanwhile: at least ours, counted after their commits
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(count("new_patient")).isGreaterThanOrEqualTo(created + 1);
            assertThat(count("linked_existing")).isGreaterThanOrEqualTo(linked + 1);
        });
        assertThat(metrics.get(LinkingMetrics.REVIEW_DECISIONS).tag("decision", "accepted").counter().count()).isEqualTo(decisions);
    }

    private double count(String outcome) {
        return metrics.get(LinkingMetrics.LINKS).tag("outcome", outcome).counter().count();
    }
}
