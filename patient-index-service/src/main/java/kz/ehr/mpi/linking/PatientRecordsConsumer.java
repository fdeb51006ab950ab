package kz.ehr.mpi.linking;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.ServiceConsumer;

/** Consumes ehr.patients.v1: deserialize → link → persist → commit. */
@ApplicationScoped
public class PatientRecordsConsumer extends ServiceConsumer<HealthRecordEvent> {
    @Inject
    PatientLinker linker;
    @Inject
    LinkingMetrics metrics;
    @Inject
    kz.ehr.mpi.config.MpiConfig config;

    @Override
    protected BatchConsumerLoop<HealthRecordEvent> newLoop(KafkaClients kafka) {
        return new BatchConsumerLoop<HealthRecordEvent>(kafka, "patient-index", List.of(Topics.PATIENTS.topic),
                topic -> EventCodec.of(HealthRecordEvent.class), config.batchSize(),
                batch -> metrics.linked(linker.apply(batch)));
    }
}
