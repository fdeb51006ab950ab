package kz.ehr.mpi.linking;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.events.kafka.KafkaClients;

/** Consumes ehr.patients.v1: deserialize → link → persist → commit. */
@ApplicationScoped
public class PatientRecordsConsumer {
    @Inject
    io.agroal.api.AgroalDataSource dataSource;
    @Inject
    PatientLinker linker;
    @Inject
    LinkingMetrics metrics;
    @Inject
    kz.ehr.mpi.config.MpiConfig config;
    @Inject
    kz.ehr.events.kafka.ConsumerLoopsReadiness readiness;
    @Inject
    KafkaClients kafka;

    private BatchConsumerLoop<HealthRecordEvent> loop;

    void start(@Observes StartupEvent event) {
        loop = readiness.register(new BatchConsumerLoop<HealthRecordEvent>(kafka, "patient-index",
                List.of(Topics.PATIENTS.topic), topic -> EventCodec.of(HealthRecordEvent.class), config.batchSize(),
                batch -> metrics.linked(linker.apply(batch))).withDatabase(dataSource).start());
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
    }

    public boolean isAssigned() {
        return loop != null && loop.isAssigned();
    }
}
