package kz.ehr.certificates.projection;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop;

/** Consumes ehr.patients.v1, ehr.registry.v1, ehr.care.v1 and mpi.links.v1 into the eligibility projection. */
@ApplicationScoped
public class HealthRecordsConsumer {
    @Inject
    RecordsProjector projector;
    @Inject
    MpiLinks mpiLinks;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private BatchConsumerLoop<HealthRecordEvent> loop;
    private BatchConsumerLoop<MpiLinkEvent> links;

    void start(@Observes StartupEvent event) {
        Topics.ensureAll(bootstrapServers);
        loop = new BatchConsumerLoop<HealthRecordEvent>(bootstrapServers, "certificate-service",
                List.of(Topics.PATIENTS.topic, Topics.REGISTRY.topic, Topics.CARE.topic),
                topic -> EventCodec.of(HealthRecordEvent.class), 1000, projector::apply).start();
        // a separate group: identity changes must not wait behind a backlog of care events
        links = new BatchConsumerLoop<MpiLinkEvent>(bootstrapServers, "certificate-service-mpi",
                List.of(Topics.MPI_LINKS.topic), topic -> EventCodec.of(MpiLinkEvent.class), 500, mpiLinks::apply).start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
        if (links != null) {
            links.close();
        }
    }
}
