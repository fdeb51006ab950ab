package kz.ehr.certificates.projection;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.events.EventCodec;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.events.kafka.KafkaClients;

/**
 * Consumes mpi.links.v1 in a consumer group of its own, so that identity changes (and the revocations they
 * cause) never wait behind a backlog of care events.
 */
@ApplicationScoped
public class MpiLinksConsumer {
    @Inject
    io.agroal.api.AgroalDataSource dataSource;
    @Inject
    MpiLinks mpiLinks;
    @Inject
    kz.ehr.events.kafka.ConsumerLoopsReadiness readiness;
    @Inject
    KafkaClients kafka;

    private BatchConsumerLoop<MpiLinkEvent> loop;

    void start(@Observes StartupEvent event) {
        loop = readiness.register(new BatchConsumerLoop<MpiLinkEvent>(kafka, "certificate-service-mpi",
                List.of(Topics.MPI_LINKS.topic), topic -> EventCodec.of(MpiLinkEvent.class), 500, mpiLinks::apply).withDatabase(dataSource).start());
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
    }
}
