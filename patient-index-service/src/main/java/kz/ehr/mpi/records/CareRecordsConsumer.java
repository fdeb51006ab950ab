package kz.ehr.mpi.records;

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

/** Consumes ehr.registry.v1 and ehr.care.v1 into the record locator. */
@ApplicationScoped
public class CareRecordsConsumer {
    @Inject
    io.agroal.api.AgroalDataSource dataSource;
    @Inject
    RecordLocator locator;
    @Inject
    kz.ehr.events.kafka.ConsumerLoopsReadiness readiness;
    @Inject
    KafkaClients kafka;

    private BatchConsumerLoop<HealthRecordEvent> loop;

    void start(@Observes StartupEvent event) {
        loop = readiness.register(new BatchConsumerLoop<HealthRecordEvent>(kafka, "patient-index-locator",
                List.of(Topics.REGISTRY.topic, Topics.CARE.topic), topic -> EventCodec.of(HealthRecordEvent.class), 1000,
                locator::apply).withDatabase(dataSource).start());
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
