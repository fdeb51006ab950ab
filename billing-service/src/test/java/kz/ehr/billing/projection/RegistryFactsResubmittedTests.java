package kz.ehr.billing.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.events.Attachment;
import kz.ehr.events.Death;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Hospitalization;
import kz.ehr.events.Insurance;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/**
 * Attachments, insurance periods, hospital stays and deaths are upserted with one statement per batch over column
 * arrays, which cannot touch a row twice: a record resubmitted within one batch must be stored as sequential versioned
 * upserts leave it (the higher version; on a tie the later submission), and a stored newer version must stand.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class RegistryFactsResubmittedTests {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    BillingProjection projection;

    static final String PROVIDER = "resubmit";

    static Delivery<HealthRecordEvent> record(String type, String recordId, int version, String iin, Consumer<HealthRecordEvent.Builder> fact) {
        HealthRecordEvent.Builder e = HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(UUID.randomUUID().toString(), type, PROVIDER, recordId, Instant.now(), Instant.now(), null))
                .setRecordType(type).setRecordVersion(version)
                .setPatient(PatientInfo.newBuilder().setLocalId("L-" + iin).setIin(iin).setIinStatus("VALID").build());
        fact.accept(e);
        return new Delivery<>("ehr.registry.v1", 0, 0, iin, e.build(), new byte[0]);
    }

    static Delivery<HealthRecordEvent> attachment(String id, int version, String iin, String bin) {
        return record("ATTACHMENT", id, version, iin, e -> e.setAttachment(
                Attachment.newBuilder().setPolyclinicBin(bin).setRegion("ALMATY").setFrom(LocalDate.of(2025, 1, version)).build()));
    }

    static Delivery<HealthRecordEvent> insurance(String id, int version, String iin, boolean insured) {
        return record("INSURANCE", id, version, iin, e -> e.setInsurance(
                Insurance.newBuilder().setInsured(insured).setFrom(LocalDate.of(2025, 2, version)).build()));
    }

    static Delivery<HealthRecordEvent> stay(String id, int version, String iin, String bin) {
        return record("HOSPITALIZATION", id, version, iin, e -> e.setHospitalization(Hospitalization.newBuilder().setFacilityBin(bin)
                .setAdmittedAt(Instant.parse("2025-03-01T08:00:00.123Z").plusSeconds(version)).build()));
    }

    static Delivery<HealthRecordEvent> death(String id, int version, String iin) {
        return record("DEATH", id, version, iin, e -> e.setDeath(Death.newBuilder().setDate(LocalDate.of(2025, 4, version)).build()));
    }

    void apply(List<Delivery<HealthRecordEvent>> batch) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                projection.applyHealthRecords(c, batch);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** table's row of {@code provider:id} as "column=value …" of the given columns. */
    String stored(String table, String id, String columns) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM " + table + " WHERE rec_key = ?")) {
            ps.setString(1, PROVIDER + ":" + id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                List<String> out = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.add(rs.getMetaData().getColumnName(i) + "=" + rs.getString(i));
                }
                return String.join(" ", out);
            }
        }
    }

    @Test
    void aFactResubmittedWithinOneBatchIsStoredAsSequentialUpsertsWouldLeaveIt() throws SQLException {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String iin = "person-" + s; // the person key only: nothing here checks it
        // a stored version 5 of one attachment: older versions in the next batch do not replace it
        apply(List.of(attachment("a-kept-" + s, 5, iin, "100140000005")));
        apply(List.of(
                attachment("a-up-" + s, 2, iin, "100140000002"), attachment("a-up-" + s, 1, iin, "100140000001"),
                attachment("a-tie-" + s, 3, iin, "100140000031"), attachment("a-tie-" + s, 3, iin, "100140000032"),
                attachment("a-kept-" + s, 4, iin, "100140000004"), attachment("a-kept-" + s, 3, iin, "100140000003"),
                insurance("i-" + s, 1, iin, true), insurance("i-" + s, 2, iin, false), insurance("i-" + s, 1, iin, true),
                stay("h-" + s, 2, iin, "100140000102"), stay("h-" + s, 1, iin, "100140000101"),
                death("d-" + s, 1, iin), death("d-" + s, 2, iin)));
        String att = "polyclinic_bin, from_date, record_version";
        assertThat(stored("attachment", "a-up-" + s, att)).isEqualTo("polyclinic_bin=100140000002 from_date=2025-01-02 record_version=2");
        assertThat(stored("attachment", "a-tie-" + s, att)).isEqualTo("polyclinic_bin=100140000032 from_date=2025-01-03 record_version=3");
        assertThat(stored("attachment", "a-kept-" + s, att)).isEqualTo("polyclinic_bin=100140000005 from_date=2025-01-05 record_version=5");
        assertThat(stored("insurance", "i-" + s, "insured, from_date, record_version"))
                .isEqualTo("insured=f from_date=2025-02-02 record_version=2");
        assertThat(stored("hospitalization", "h-" + s, "facility_bin, admitted_at AT TIME ZONE 'UTC' AS admitted_utc, record_version"))
                .isEqualTo("facility_bin=100140000102 admitted_utc=2025-03-01 08:00:02.123 record_version=2");
        assertThat(stored("death", "d-" + s, "death_date, record_version")).isEqualTo("death_date=2025-04-02 record_version=2");
    }
}
