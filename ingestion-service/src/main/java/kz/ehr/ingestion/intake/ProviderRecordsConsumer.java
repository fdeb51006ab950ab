package kz.ehr.ingestion.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.events.EventCodec;
import kz.ehr.events.ProviderRecord;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.ingestion.config.IngestionConfig;

/**
 * Consumes every {@code provider.records.v1.<providerId>} (and the shared {@code provider.records.v1}) from
 * Kafka-native adapters: deserialize → the same intake as REST → commit. A provider's topic appears here at the
 * consumer's next metadata refresh ({@code kafka.metadata.max.age.ms}).
 */
@ApplicationScoped
public class ProviderRecordsConsumer {
    @Inject
    RecordIntake intake;
    @Inject
    io.agroal.api.AgroalDataSource dataSource;
    @Inject
    IngestionConfig config;
    @Inject
    kz.ehr.events.kafka.ConsumerLoopsReadiness readiness;
    @Inject
    KafkaClients kafka;

    private BatchConsumerLoop<ProviderRecord> loop;

    void start(@Observes StartupEvent event) {
        if (!config.consumer().enabled()) {
            return;
        }
        loop = readiness.register(new BatchConsumerLoop<ProviderRecord>(kafka, "ingestion", Topics.providerTopics(),
                topic -> EventCodec.of(ProviderRecord.class), config.consumer().maxPollRecords(), intake::consume)
                .withDatabase(dataSource).start());
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
