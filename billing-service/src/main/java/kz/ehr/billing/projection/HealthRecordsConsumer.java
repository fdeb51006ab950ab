package kz.ehr.billing.projection;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.avro.specific.SpecificRecordBase;

import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.ServiceConsumer;

/**
 * Consumes ehr.patients.v1, ehr.registry.v1, ehr.care.v1 and mpi.links.v1 into the billing projection. One loop for
 * all four: batches are applied one after the other, and with several instances one at a time
 * ({@link BillingIngest#WRITE_LOCK}), so identity repairs never race record writes for a person.
 */
@ApplicationScoped
public class HealthRecordsConsumer extends ServiceConsumer<SpecificRecordBase> {
    @Inject
    BillingIngest ingest;
    @Inject
    kz.ehr.billing.config.BillingConfig config;

    @Override
    protected BatchConsumerLoop<SpecificRecordBase> newLoop(KafkaClients kafka) {
        return new BatchConsumerLoop<SpecificRecordBase>(kafka, "billing-service",
                List.of(Topics.PATIENTS.topic, Topics.REGISTRY.topic, Topics.CARE.topic, Topics.MPI_LINKS.topic),
                topic -> Topics.MPI_LINKS.topic.equals(topic) ? EventCodec.of(MpiLinkEvent.class) : EventCodec.of(HealthRecordEvent.class),
                config.consumer().maxBatch(), ingest::handle)
                // a visit is screened against the insurance and attachment its provider sent before it or with it: care
                // waits for the registry (and patients) topics to be read up to its time, 1 s of slack for one provider
                // batch's publishing, unless those stopped moving for 10 s (TopicAlignment)
                .alignedTo(Set.of(Topics.PATIENTS.topic, Topics.REGISTRY.topic), Set.of(Topics.CARE.topic),
                        Duration.ofSeconds(1), Duration.ofSeconds(10));
    }
}
