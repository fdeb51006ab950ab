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
import kz.ehr.events.GoldenRecord;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.SourceRef;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/**
 * An MPI link moves the rows of its sources in one statement and recomputes death dates and attachment ends only for
 * the persons whose rows moved: the person a source's rows leave loses its death and attachment, the person they join
 * gets them (and a later attachment ends the earlier one), and a link that moves nothing touches only its target.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class ReattributionTests {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    BillingProjection projection;
    @Inject
    BillingIngest ingest;

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    <T> T inTransaction(Work<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        });
    }

    static Delivery<HealthRecordEvent> record(String localId, String iin, HealthRecordEvent.Builder b, String type) {
        PatientInfo.Builder p = PatientInfo.newBuilder().setLocalId(localId).setIinStatus(iin == null ? "MISSING" : "VALID");
        if (iin != null) {
            p.setIin(iin);
        }
        String id = UUID.randomUUID().toString();
        HealthRecordEvent e = b.setEnvelope(Envelopes.of(id, type, "reattr", "r-" + id, Instant.now(), Instant.now(), null))
                .setRecordType(type).setPatient(p.build()).build();
        return new Delivery<>("ehr.registry.v1", 0, 0, iin == null ? "reattr:" + localId : iin, e, new byte[8]);
    }

    static Delivery<MpiLinkEvent> link(String goldenIin, String... localIds) {
        List<SourceRef> refs = new ArrayList<>();
        for (String l : localIds) {
            refs.add(SourceRef.newBuilder().setProviderId("reattr").setLocalId(l).setIin(null).build());
        }
        String id = UUID.randomUUID().toString();
        MpiLinkEvent e = MpiLinkEvent.newBuilder()
                .setEnvelope(Envelopes.of(id, "MpiLinkEvent.LINKED", "patient-index", "reattr:" + localIds[0], Instant.now(), Instant.now(), null))
                .setLinkEventType("LINKED").setEnterpriseId("E-" + goldenIin).setLinkedSources(refs)
                .setGolden(GoldenRecord.newBuilder().setIin(goldenIin).build()).build();
        return new Delivery<>("mpi.links.v1", 0, 0, "E-" + goldenIin, e, new byte[8]);
    }

    String scalar(String sql, String key) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : "no row";
                }
            }
        });
    }

    @Test
    void aLinkMovesTheFactsOfItsSourcesAndRecomputesOnlyThePersonsTheyLeftAndJoined() {
        String iin = "900101300123";
        String other = "900101300456";
        // REA-1 without an IIN: attached since 2020 and dead; REA-2 with the IIN: attached since 2024; OTHER untouched
        inTransaction(c -> projection.applyHealthRecords(c, List.of(
                record("REA-1", null, HealthRecordEvent.newBuilder().setAttachment(Attachment.newBuilder().setPolyclinicBin("100140000301")
                        .setFrom(LocalDate.of(2020, 1, 1)).build()), "ATTACHMENT"),
                record("REA-1", null, HealthRecordEvent.newBuilder().setDeath(Death.newBuilder().setDate(LocalDate.of(2025, 6, 1)).build()), "DEATH"),
                record("REA-2", iin, HealthRecordEvent.newBuilder().setAttachment(Attachment.newBuilder().setPolyclinicBin("100140000302")
                        .setFrom(LocalDate.of(2024, 1, 1)).build()), "ATTACHMENT"),
                record("REA-3", other, HealthRecordEvent.newBuilder().setAttachment(Attachment.newBuilder().setPolyclinicBin("100140000303")
                        .setFrom(LocalDate.of(2021, 1, 1)).build()), "ATTACHMENT"))));
        assertThat(scalar("SELECT death_date::text FROM person WHERE person_key = ?", "reattr:REA-1")).isEqualTo("2025-06-01");
        assertThat(scalar("SELECT effective_to::text FROM attachment WHERE source_key = ?", "reattr:REA-1")).isNull();

        Affected moved = inTransaction(c -> projection.applyMpiLinks(c, List.of(link(iin, "REA-1", "REA-2"))));
        assertThat(moved.persons()).containsExactlyInAnyOrder("reattr:REA-1", iin);
        assertThat(scalar("SELECT string_agg(DISTINCT person_key, ',') FROM attachment WHERE source_key = ?", "reattr:REA-1")).isEqualTo(iin);
        assertThat(scalar("SELECT person_key FROM death WHERE source_key = ?", "reattr:REA-1")).isEqualTo(iin);
        // the person the rows left has no death any more; the one they joined has it
        assertThat(scalar("SELECT death_date::text FROM person WHERE person_key = ?", "reattr:REA-1")).isNull();
        assertThat(scalar("SELECT death_date::text FROM person WHERE person_key = ?", iin)).isEqualTo("2025-06-01");
        // the moved 2020 attachment is now ended by the person's 2024 one
        assertThat(scalar("SELECT effective_to::text FROM attachment WHERE source_key = ?", "reattr:REA-1")).isEqualTo("2023-12-31");
        assertThat(scalar("SELECT effective_to::text FROM attachment WHERE source_key = ?", "reattr:REA-2")).isNull();
        assertThat(scalar("SELECT effective_to::text FROM attachment WHERE source_key = ?", "reattr:REA-3")).isNull();

        // the same link again moves nothing: only its target is re-screened, and nothing changes
        Affected again = inTransaction(c -> projection.applyMpiLinks(c, List.of(link(iin, "REA-1", "REA-2"))));
        assertThat(again.persons()).containsExactly(iin);
        assertThat(scalar("SELECT death_date::text FROM person WHERE person_key = ?", iin)).isEqualTo("2025-06-01");
        assertThat(scalar("SELECT effective_to::text FROM attachment WHERE source_key = ?", "reattr:REA-1")).isEqualTo("2023-12-31");
        assertThat(scalar("SELECT person_key FROM source_link WHERE source_key = ?", "reattr:REA-1")).isEqualTo(iin);
    }

    /**
     * Two writers at once, as two instances of the consumer group: one links a source to a person (the link is on
     * {@code mpi.links.v1}, keyed by enterprise) while the other stores a new record of that source (keyed by the source,
     * on another partition). Whichever commits second must see the other: the record ends under the linked person, not
     * under the key the link moved the source away from, where nothing would ever move it again.
     */
    @Test
    void aRecordStoredWhileAnotherWriterLinksItsSourceEndsWithTheLinkedPerson() throws Exception {
        String iin = "900101300999";
        inTransaction(c -> projection.applyHealthRecords(c, List.of(
                record("REA-9", null, HealthRecordEvent.newBuilder().setAttachment(Attachment.newBuilder().setPolyclinicBin("100140000309")
                        .setFrom(LocalDate.of(2020, 1, 1)).build()), "ATTACHMENT"))));
        Delivery<HealthRecordEvent> death = record("REA-9", null,
                HealthRecordEvent.newBuilder().setDeath(Death.newBuilder().setDate(LocalDate.of(2025, 6, 1)).build()), "DEATH");
        kz.ehr.billing.testing.TwoWriters.race(dataSource, c -> ingest.apply(c, null, List.of(), List.of(link(iin, "REA-9"))),
                c -> ingest.apply(c, null, List.of(death), List.of()));
        assertThat(scalar("SELECT string_agg(DISTINCT person_key, ',') FROM attachment WHERE source_key = ?", "reattr:REA-9")).isEqualTo(iin);
        assertThat(scalar("SELECT person_key FROM death WHERE source_key = ?", "reattr:REA-9")).isEqualTo(iin);
        assertThat(scalar("SELECT death_date::text FROM person WHERE person_key = ?", iin)).isEqualTo("2025-06-01");
    }
}
