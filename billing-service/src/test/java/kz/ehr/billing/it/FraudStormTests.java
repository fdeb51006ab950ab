package kz.ehr.billing.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import kz.ehr.billing.fraud.service.ScreeningMeter;
import kz.ehr.events.Encounter;
import kz.ehr.events.EventCodec;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.Topics;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestPlatform;

/**
 * Issue #14 item 2 at a twentieth of the size seen: a broken or dishonest MIS sends 20,000 patients and 20,000
 * encounters, every encounter by one doctor of one polyclinic on one day. Through the real broker and the service's
 * own consumer, with the monitor allowed 500 visit rows per step: everything is consumed (the group's lag reaches 0),
 * every visit carries its flags, and no step read more than a few steps' worth of rows — the old monitor read the
 * whole day (up to 20,000 rows, growing with the storm) for every batch.
 */
@QuarkusTest
@TestProfile(FraudStormTests.SmallSteps.class)
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class FraudStormTests {
    static final int VISITS = 20_000;
    static final int ROWS_PER_STEP = 500;

    public static class SmallSteps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("billing.fraud.rows-per-step", String.valueOf(ROWS_PER_STEP));
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aStormOfVisitsAtOnePolyclinicOnOneDayIsScreenedInBoundedStepsAndFullyConsumed() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bin = "7701" + String.format("%08d", Math.abs(run.hashCode()) % 100_000_000);
        String doctor = "STORM-" + run;
        Instant first = Instant.parse("2025-10-15T03:00:00Z");
        ScreeningMeter.reset();

        Map<TopicPartition, Long> ends = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = TestPlatform.kafkaAdmin().producer("storm-" + run,
                new StringSerializer(), new ByteArraySerializer())) {
            EventCodec<HealthRecordEvent> codec = EventCodec.of(HealthRecordEvent.class);
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < VISITS; i++) {
                String iin = "66%02d%08d".formatted(Math.abs(run.hashCode()) % 100, i);
                PatientInfo patient = PatientInfo.newBuilder().setLocalId("L-" + iin).setIin(iin).setIinStatus("VALID").setSex(i % 2 == 0 ? "F" : "M")
                        .setBirthDate(LocalDate.of(1970 + i % 40, 1 + i % 12, 1 + i % 28)).setLastName("Шторм").setFirstName("Пациент").build();
                sent.add(producer.send(new ProducerRecord<>(Topics.PATIENTS.topic, iin, codec.encode(event("PATIENT", patient, run).build()))));
                Instant start = first.plusSeconds(i); // all within the day in Almaty, each before the previous 10-minute visit ends
                sent.add(producer.send(new ProducerRecord<>(Topics.CARE.topic, iin, codec.encode(event("ENCOUNTER", patient, run)
                        .setEncounter(Encounter.newBuilder().setPolyclinicBin(bin).setDoctorId(doctor).setStart(start).setEnd(start.plusSeconds(600))
                                .setKind("VISIT").setServices(List.of("A01")).setReferral(false).build()).build()))));
            }
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get();
                ends.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
            }
        }

        try (Admin admin = TestPlatform.kafkaAdmin().admin()) {
            Awaitility.await("the billing consumer's lag on the storm's partitions reaches 0").atMost(Duration.ofMinutes(15))
                    .pollInterval(Duration.ofSeconds(2)).until(() -> lag(admin, ends) == 0);
        }

        assertThat(count("SELECT count(*) FROM visit WHERE polyclinic_bin = ? AND doctor_id = '" + doctor + "' AND visit_date = '2025-10-15'", bin))
                .isEqualTo(VISITS);
        assertThat(count("SELECT count(*) FROM visit WHERE polyclinic_bin = ? AND NOT flagged", bin)).as("visits that still count").isZero();
        assertThat(count("SELECT count(*) FROM fraud_flag WHERE polyclinic_bin = ? AND state = 'OPEN' AND rule_id = 'DOCTOR_DAILY_CAP'", bin))
                .isEqualTo(VISITS);
        assertThat(count("SELECT count(*) FROM fraud_flag WHERE polyclinic_bin = ? AND state = 'OPEN' AND rule_id = 'DOCTOR_OVERLAPPING_SLOTS'", bin))
                .as("every visit but the first starts while the doctor is busy").isEqualTo(VISITS - 1);
        assertThat(count("SELECT count(*) FROM fraud_flag WHERE polyclinic_bin = ? AND state = 'OPEN' AND rule_id = 'NOT_ATTACHED_NO_REFERRAL'", bin))
                .as("nobody is attached to the polyclinic").isEqualTo(VISITS);
        assertThat(count("SELECT count(*) FROM fraud_flag WHERE polyclinic_bin = ? AND state <> 'OPEN'", bin)).isZero();
        // a flag's reason is one sentence whatever the size of the storm: a count, never a list of the visits
        assertThat(count("SELECT coalesce(max(length(reason)), 0) FROM fraud_flag WHERE polyclinic_bin = ?", bin)).isBetween(1L, 200L);

        System.out.printf("storm of %,d visits: %,d visit rows read in %,d steps, at most %,d in one step (rows-per-step %d)%n",
                VISITS, ScreeningMeter.rowsRead(), ScreeningMeter.steps(), ScreeningMeter.peakRowsPerStep(), ROWS_PER_STEP);
        // the proof of bounded memory: what the monitor read between two flag writes, against what it would have read
        assertThat(ScreeningMeter.peakRowsPerStep()).as("visit rows read in one step").isPositive().isLessThanOrEqualTo(4L * ROWS_PER_STEP);
        assertThat(ScreeningMeter.steps()).as("flag writes").isGreaterThanOrEqualTo(VISITS / ROWS_PER_STEP);
    }

    static HealthRecordEvent.Builder event(String type, PatientInfo patient, String run) {
        String id = UUID.randomUUID().toString();
        return HealthRecordEvent.newBuilder().setEnvelope(Envelopes.of(id, type, "storm-" + run, "rec-" + id, Instant.now(), Instant.now(), null))
                .setRecordType(type).setPatient(patient);
    }

    static long lag(Admin admin, Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("billing-service").partitionsToOffsetAndMetadata().get();
        long lag = 0;
        for (var e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += Math.max(0, e.getValue() - (c == null ? 0 : c.offset()));
        }
        return lag;
    }

    long count(String sql, String bin) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, bin);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
