package kz.ehr.certificates.projection;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.ServiceConsumer;

/** Consumes ehr.patients.v1, ehr.registry.v1 and ehr.care.v1 into the eligibility projection (and revocations). */
@ApplicationScoped
public class HealthRecordsConsumer extends ServiceConsumer<HealthRecordEvent> {
    @Inject
    RecordsProjector projector;

    @Override
    protected BatchConsumerLoop<HealthRecordEvent> newLoop(KafkaClients kafka) {
        return new BatchConsumerLoop<HealthRecordEvent>(kafka, "certificate-service",
                List.of(Topics.PATIENTS.topic, Topics.REGISTRY.topic, Topics.CARE.topic),
                topic -> EventCodec.of(HealthRecordEvent.class), 1000, projector::apply);
    }
}
