package kz.ehr.billing.it;

import static kz.ehr.billing.it.FraudMonitorTests.A;
import static kz.ehr.billing.it.FraudMonitorTests.B;
import static kz.ehr.billing.it.FraudMonitorTests.attach;
import static kz.ehr.billing.it.FraudMonitorTests.visit;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.billing.config.Policies;
import kz.ehr.billing.fraud.service.FraudMonitor;
import kz.ehr.billing.fraud.service.ScreeningMeter;
import kz.ehr.billing.projection.BillingIngest;
import kz.ehr.billing.projection.BillingProjection;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/**
 * The monitor screens in steps of at most {@code billing.fraud.rows-per-step} visits; a person or doctor-day above it is
 * swept page by page. With a step of 3 visits nearly every person and day of these streams takes the swept path, and
 * the standing flags and counted visits must be exactly those of the monitor that holds each batch whole.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class BoundedScreeningTests {
    static final AtomicInteger SERIAL = new AtomicInteger(50_000);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    BillingProjection projection;
    @Inject
    Policies policies;

    FraudMonitor monitor(int rowsPerStep) {
        return FraudMonitor.of(new Policies(policies.capitation(), policies.fraud(), policies.zone(), rowsPerStep));
    }

    /** Each batch as the consumer applies it (mixed batches split, encounters pipelined) with a monitor of this step. */
    Map<String, String> apply(List<List<FraudMonitorTests.Fact>> batches, String suffix, int rowsPerStep) {
        BillingIngest ingest = BillingIngest.of(projection, monitor(rowsPerStep));
        BillingIngest.OutsideConnection outside = new BillingIngest.OutsideConnection() {
            @Override
            public <T> T with(BillingIngest.SqlWork<T> work) throws Exception {
                try (Connection b = dataSource.getConnection()) {
                    return work.run(b);
                }
            }
        };
        Map<String, String> visitKeys = new TreeMap<>();
        for (List<FraudMonitorTests.Fact> facts : batches) {
            List<Delivery<HealthRecordEvent>> batch = new ArrayList<>();
            for (FraudMonitorTests.Fact f : facts) {
                HealthRecordEvent e = FraudMonitorTests.build(f, suffix);
                if (f.visit() != null) {
                    visitKeys.put(f.visit(), "damumed:" + e.getEnvelope().getSourceRecordId());
                }
                batch.add(new Delivery<>("ehr.care.v1", 0, batch.size(), e.getPatient().getIin(), e, new byte[0]));
            }
            for (BillingIngest.Part part : BillingIngest.parts(batch, List.of())) {
                QuarkusTransaction.requiringNew().run(() -> {
                    try (Connection c = dataSource.getConnection()) {
                        ingest.apply(c, outside, part.records(), part.links());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
        return visitKeys;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void screeningInStepsOfThreeVisitsFlagsExactlyAsScreeningEachBatchWhole(long seed) throws SQLException {
        for (var batches : List.of(FraudMonitorTests.randomEncounterStream(new java.util.Random(seed)),
                FraudMonitorTests.randomStream(new java.util.Random(seed)))) {
            ScreeningMeter.reset();
            Map<String, String> stepped = apply(batches, "%05d".formatted(SERIAL.incrementAndGet()), 3);
            long steps = ScreeningMeter.steps();
            Map<String, String> whole = apply(batches, "%05d".formatted(SERIAL.incrementAndGet()), 1_000_000);
            Map<String, Set<String>> flags = standing(stepped);
            assertThat(flags).isEqualTo(standing(whole));
            assertThat(flags).as("the stream raises flags at all").isNotEmpty();
            assertThat(steps).as("the small step did split the batches").isGreaterThan(batches.size() * 2L);
            for (String visit : stepped.keySet()) {
                assertThat(counted(stepped.get(visit))).as(visit).isEqualTo(counted(whole.get(visit)));
            }
        }
    }

    /**
     * One doctor with 300 visits in a day, one person with 120 visits (40 the same day at one polyclinic, booking the
     * same service), arriving over several batches: swept in pages of 25, the flags are those of the whole day.
     */
    @Test
    void aDoctorsCrowdedDayAndAPersonsLongHistorySweptInPagesFlagAsHeldWhole() throws SQLException {
        List<List<FraudMonitorTests.Fact>> batches = new ArrayList<>();
        List<FraudMonitorTests.Fact> attachments = new ArrayList<>();
        for (int p = 0; p < 60; p++) {
            attachments.add(attach("R" + p, p % 3 == 0 ? B : A, "2024-11-%02d".formatted(1 + p % 20)));
        }
        batches.add(attachments);
        int n = 0;
        for (int b = 0; b < 5; b++) {
            List<FraudMonitorTests.Fact> batch = new ArrayList<>();
            for (int i = 0; i < 60; i++, n++) {
                batch.add(visit("d" + n, "R" + (n % 60), A, "D1", "2025-10-20T%02d:%02d:00Z".formatted(n / 60, n % 60), "S" + (n % 7)));
            }
            for (int i = 0; i < 24; i++) {
                int k = b * 24 + i;
                String day = k < 40 ? "2025-10-21" : "2025-%02d-%02d".formatted(1 + k % 9, 1 + k % 27);
                batch.add(visit("p" + k, "P", k % 5 == 0 ? B : A, "D" + (2 + k % 3), day + "T%02d:%02d:00Z".formatted(k % 12, k % 60), "S" + (k % 4)));
            }
            batches.add(batch);
        }
        Map<String, String> stepped = apply(batches, "%05d".formatted(SERIAL.incrementAndGet()), 25);
        Map<String, String> whole = apply(batches, "%05d".formatted(SERIAL.incrementAndGet()), 1_000_000);
        Map<String, Set<String>> flags = standing(stepped);
        assertThat(flags).isEqualTo(standing(whole));
        assertThat(flags.values().stream().flatMap(Set::stream).distinct())
                .contains("DOCTOR_DAILY_CAP", "DOCTOR_OVERLAPPING_SLOTS", "DUPLICATE_SERVICE", "BURST_BEFORE_12_MONTH_MARK", "NOT_ATTACHED_NO_REFERRAL");
        for (String visit : stepped.keySet()) {
            assertThat(counted(stepped.get(visit))).as(visit).isEqualTo(counted(whole.get(visit)));
        }
    }

    Map<String, Set<String>> standing(Map<String, String> visitKeys) throws SQLException {
        Map<String, String> names = new TreeMap<>();
        visitKeys.forEach((name, key) -> names.put(key, name));
        Map<String, Set<String>> standing = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT visit_key, rule_id, reason FROM fraud_flag WHERE visit_key = ANY(?) AND state = 'OPEN'")) {
            ps.setArray(1, c.createArrayOf("text", visitKeys.values().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    standing.computeIfAbsent(names.get(rs.getString(1)), k -> new TreeSet<>()).add(rs.getString(2));
                }
            }
        }
        return standing;
    }

    boolean counted(String visitKey) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT NOT flagged FROM visit WHERE rec_key = ?")) {
            ps.setString(1, visitKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
