package kz.ehr.mpi.linking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import kz.ehr.events.Envelopes;
import kz.ehr.events.EventCodec;
import kz.ehr.events.GoldenRecord;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.SourceRef;
import kz.ehr.events.Topics;
import kz.ehr.events.outbox.OutboxRow;
import kz.ehr.mpi.matching.Demographics;

/**
 * One change of a link, as history row and as {@link MpiLinkEvent} on mpi.links.v1. The golden snapshot is
 * taken when the change is written, i.e. after every change of its transaction.
 */
public record LinkChange(String type, EnterpriseState target, UUID previous, String providerId, String localId,
                         String sourceIin, Double score, String reason, String actor, String eventId) {
    public static final String PRODUCER = "patient-index";
    private static final EventCodec<MpiLinkEvent> CODEC = EventCodec.of(MpiLinkEvent.class);

    public IndexStore.HistoryEntry history() {
        return new IndexStore.HistoryEntry(target.id, type, previous, providerId, localId, score, reason, actor);
    }

    public OutboxRow outgoing(Instant now) {
        Demographics g = target.golden;
        List<SourceRef> refs = new ArrayList<>();
        for (SourceState s : target.sortedSources()) {
            refs.add(SourceRef.newBuilder().setProviderId(s.providerId).setLocalId(s.localId)
                    .setIin(s.demographics.iin()).build());
        }
        MpiLinkEvent event = MpiLinkEvent.newBuilder()
                .setEnvelope(Envelopes.of(eventId, "MpiLinkEvent." + type, PRODUCER,
                        providerId == null ? target.id.toString() : providerId + ":" + localId, now, now, null))
                .setLinkEventType(type)
                .setEnterpriseId(target.id.toString())
                .setPreviousEnterpriseId(previous == null ? null : previous.toString())
                .setSourceProviderId(providerId)
                .setSourceLocalId(localId)
                .setSourceIin(sourceIin)
                .setScore(score)
                .setReason(reason)
                .setGolden(g == null ? null : GoldenRecord.newBuilder().setIin(g.iin()).setLastName(g.lastName())
                        .setFirstName(g.firstName()).setMiddleName(g.middleName()).setBirthDate(g.birthDate())
                        .setSex(g.sex()).setPhone(g.phone()).setAddress(g.address()).build())
                .setLinkedSources(refs)
                .build();
        return new OutboxRow(eventId, Topics.MPI_LINKS.topic, target.id.toString(), CODEC.encode(event));
    }

    /** Stable id: a replay of the same cause yields the same event id, so consumers can deduplicate. */
    public static String eventId(String cause, String type, String providerId, String localId, UUID enterprise) {
        return Envelopes.stableEventId("mpi", cause, type, String.valueOf(providerId), String.valueOf(localId),
                String.valueOf(enterprise));
    }
}
