package kz.ehr.certificates.projection;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.events.EventCodec;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.ServiceConsumer;

/**
 * Consumes mpi.links.v1 in a consumer group of its own, so that identity changes (and the revocations they
 * cause) never wait behind a backlog of care events.
 */
@ApplicationScoped
public class MpiLinksConsumer extends ServiceConsumer<MpiLinkEvent> {
    @Inject
    MpiLinks mpiLinks;

    @Override
    protected BatchConsumerLoop<MpiLinkEvent> newLoop(KafkaClients kafka) {
        return new BatchConsumerLoop<MpiLinkEvent>(kafka, "certificate-service-mpi", List.of(Topics.MPI_LINKS.topic),
                topic -> EventCodec.of(MpiLinkEvent.class), 500, mpiLinks::apply);
    }
}
