package kz.ehr.certificates.projection;

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

/** Consumes ehr.patients.v1, ehr.registry.v1 and ehr.care.v1 into the eligibility projection (and revocations). */
@ApplicationScoped
public class HealthRecordsConsumer {
    @Inject
    io.agroal.api.AgroalDataSource dataSource;
    @Inject
    RecordsProjector projector;
    @Inject
    kz.ehr.events.kafka.ConsumerLoopsReadiness readiness;
    @Inject
    KafkaClients kafka;

    private BatchConsumerLoop<HealthRecordEvent> loop;

    void start(@Observes StartupEvent event) {
        loop = readiness.register(new BatchConsumerLoop<HealthRecordEvent>(kafka, "certificate-service",
                List.of(Topics.PATIENTS.topic, Topics.REGISTRY.topic, Topics.CARE.topic),
                topic -> EventCodec.of(HealthRecordEvent.class), 1000, projector::apply).withDatabase(dataSource).start());
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
    }
}
