package kz.ehr.billing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.billing.metrics.BillingMetrics;
import kz.ehr.billing.projection.BillingIngest;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/** The dashboard's billing counters move: a capitation run, and a fraud flag a committed batch raised. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class BillingMetricsTests {
    @Inject
    MeterRegistry metrics;
    @Inject
    BillingIngest ingest;

    @Test
    void aCapitationRunCountsOnceAsCompleted() {
        double completed = count(BillingMetrics.CAPITATION_RUNS, "outcome", "completed");
        double failed = count(BillingMetrics.CAPITATION_RUNS, "outcome", "failed");
        given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).post("/api/v1/capitation/2024-03/run").then().statusCode(200);
        assertThat(count(BillingMetrics.CAPITATION_RUNS, "outcome", "completed")).isEqualTo(completed + 1);
        assertThat(count(BillingMetrics.CAPITATION_RUNS, "outcome", "failed")).isEqualTo(failed);
    }

    @Test
    void aVisitAfterADeathCountsOneFlagUnderItsRuleAndEveryRuleIsExportedFromTheStart() throws Exception {
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("ehr_billing_fraud_flags_raised_total{rule=\"DOCTOR_OVERLAPPING_SLOTS\"}");
        double before = count(BillingMetrics.FRAUD_FLAGS_RAISED, "rule", "VISIT_AFTER_DEATH");
        String suffix = "9%04d".formatted(ThreadLocalRandom.current().nextInt(10_000));
        handle(List.of(FraudMonitorTests.attach("P", FraudMonitorTests.A, "2020-01-01"),
                FraudMonitorTests.visit("v1", "P", FraudMonitorTests.A, "D1", "2025-10-20T04:00:00Z", "S1")), suffix);
        assertThat(count(BillingMetrics.FRAUD_FLAGS_RAISED, "rule", "VISIT_AFTER_DEATH")).isEqualTo(before);
        handle(List.of(FraudMonitorTests.died("P", "2025-10-10")), suffix);
        assertThat(count(BillingMetrics.FRAUD_FLAGS_RAISED, "rule", "VISIT_AFTER_DEATH")).isEqualTo(before + 1);
    }

    @Test
    void theVisitRowsTheMonitorReadAreCountedByWhatItScreened() throws Exception {
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("ehr_billing_fraud_screening_rows_read_total{scope=\"doctor_day\"}")
                .contains("ehr_billing_fraud_screening_rows_read_total{scope=\"person\"}");
        String suffix = "8%04d".formatted(ThreadLocalRandom.current().nextInt(10_000));
        handle(List.of(FraudMonitorTests.attach("P", FraudMonitorTests.A, "2020-01-01"),
                FraudMonitorTests.visit("v1", "P", FraudMonitorTests.A, "D1", "2025-10-20T04:00:00Z", "S1")), suffix);
        double days = rowsRead("doctor_day");
        // a second visit of the same doctor's day by another person: the day is read whole again, its first visit too
        handle(List.of(FraudMonitorTests.attach("Q", FraudMonitorTests.A, "2020-01-01"),
                FraudMonitorTests.visit("v2", "Q", FraudMonitorTests.A, "D1", "2025-10-20T05:00:00Z", "S1")), suffix);
        assertThat(rowsRead("doctor_day") - days).isGreaterThanOrEqualTo(1);
    }

    /** As the consumer hands a batch over: the counter moves once its transactions committed. */
    private void handle(List<FraudMonitorTests.Fact> facts, String suffix) throws Exception {
        List<Delivery<SpecificRecordBase>> batch = new ArrayList<>();
        for (FraudMonitorTests.Fact f : facts) {
            HealthRecordEvent e = FraudMonitorTests.build(f, suffix);
            batch.add(new Delivery<>("ehr.care.v1", 0, batch.size(), e.getPatient().getIin(), e, new byte[0]));
        }
        ingest.handle(batch);
    }

    private double rowsRead(String scope) {
        return count(BillingMetrics.SCREENING_ROWS_READ, "scope", scope);
    }

    private double count(String name, String tag, String value) {
        return metrics.get(name).tag(tag, value).counter().count();
    }
}
