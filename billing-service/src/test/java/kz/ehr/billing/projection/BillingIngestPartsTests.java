package kz.ehr.billing.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;

/** How a consumed batch is cut into transactions: other facts before encounters, identity repairs never split off. */
class BillingIngestPartsTests {

    @Test
    void aMixedBatchIsItsOtherFactsAndThenItsEncountersEachInTheirOriginalOrder() {
        var v1 = record("v1", "ENCOUNTER");
        var a1 = record("a1", "ATTACHMENT");
        var v2 = record("v2", "ENCOUNTER");
        var d1 = record("d1", "DEATH");
        List<BillingIngest.Part> parts = BillingIngest.parts(List.of(v1, a1, v2, d1), List.of());
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).records()).containsExactly(a1, d1);
        assertThat(parts.get(1).records()).containsExactly(v1, v2);
        assertThat(parts).allMatch(p -> p.links().isEmpty());
    }

    @Test
    void aBatchOfOneKindOrWithIdentityRepairsIsOneTransaction() {
        var v1 = record("v1", "ENCOUNTER");
        var a1 = record("a1", "ATTACHMENT");
        assertThat(BillingIngest.parts(List.of(v1), List.of())).containsExactly(new BillingIngest.Part(List.of(v1), List.of()));
        assertThat(BillingIngest.parts(List.of(a1), List.of())).containsExactly(new BillingIngest.Part(List.of(a1), List.of()));
        List<Delivery<MpiLinkEvent>> links = List.of(new Delivery<>("mpi.links.v1", 0, 0, "k", new MpiLinkEvent(), new byte[0]));
        assertThat(BillingIngest.parts(List.of(v1, a1), links)).containsExactly(new BillingIngest.Part(List.of(v1, a1), links));
    }

    private static Delivery<HealthRecordEvent> record(String id, String type) {
        HealthRecordEvent e = HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(id, type, "p", id, Instant.parse("2025-10-01T00:00:00Z"), Instant.parse("2025-10-01T00:00:00Z"), null))
                .setRecordType(type)
                .setPatient(PatientInfo.newBuilder().setLocalId("L").setIin("900101300017").setIinStatus("VALID").build())
                .build();
        return new Delivery<>("ehr.care.v1", 0, 0, id, e, new byte[0]);
    }
}
