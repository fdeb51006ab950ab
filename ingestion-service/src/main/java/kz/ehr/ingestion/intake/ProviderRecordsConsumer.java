package kz.ehr.ingestion.intake;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.events.EventCodec;
import kz.ehr.events.ProviderRecord;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.ingestion.config.IngestionConfig;

/** Consumes provider.records.v1 from Kafka-native adapters: deserialize → the same intake as REST → commit. */
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
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private BatchConsumerLoop<ProviderRecord> loop;

    void start(@Observes StartupEvent event) {
        if (!config.consumer().enabled()) {
            return;
        }
        Topics.ensureAll(bootstrapServers);
        loop = readiness.register(new BatchConsumerLoop<ProviderRecord>(bootstrapServers, "ingestion", List.of(Topics.PROVIDER_RECORDS.topic),
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
