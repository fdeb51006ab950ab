package kz.ehr.mpi.records;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.ServiceConsumer;

/** Consumes ehr.registry.v1 and ehr.care.v1 into the record locator. */
@ApplicationScoped
public class CareRecordsConsumer extends ServiceConsumer<HealthRecordEvent> {
    @Inject
    RecordLocator locator;

    @Override
    protected BatchConsumerLoop<HealthRecordEvent> newLoop(KafkaClients kafka) {
        return new BatchConsumerLoop<HealthRecordEvent>(kafka, "patient-index-locator",
                List.of(Topics.REGISTRY.topic, Topics.CARE.topic), topic -> EventCodec.of(HealthRecordEvent.class), 1000,
                locator::apply);
    }
}
