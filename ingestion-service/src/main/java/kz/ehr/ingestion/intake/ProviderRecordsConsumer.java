package kz.ehr.ingestion.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.events.EventCodec;
import kz.ehr.events.ProviderRecord;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.ServiceConsumer;
import kz.ehr.ingestion.config.IngestionConfig;

/**
 * Consumes every {@code provider.records.v1.<providerId>} (and the shared {@code provider.records.v1}) from
 * Kafka-native adapters: deserialize → the same intake as REST → commit. A provider's topic appears here at the
 * consumer's next metadata refresh ({@code kafka.metadata.max.age.ms}).
 */
@ApplicationScoped
public class ProviderRecordsConsumer extends ServiceConsumer<ProviderRecord> {
    @Inject
    RecordIntake intake;
    @Inject
    IngestionConfig config;

    @Override
    protected BatchConsumerLoop<ProviderRecord> newLoop(KafkaClients kafka) {
        if (!config.consumer().enabled()) {
            return null;
        }
        return new BatchConsumerLoop<ProviderRecord>(kafka, "ingestion", Topics.providerTopics(),
                topic -> EventCodec.of(ProviderRecord.class), config.consumer().maxPollRecords(), intake::consume);
    }
}
