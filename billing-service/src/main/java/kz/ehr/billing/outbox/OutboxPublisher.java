package kz.ehr.billing.outbox;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.billing.config.BillingConfig;
import kz.ehr.events.kafka.OutboxRelay;

/** Runs the shared outbox relay for as long as the service runs: billing events reach Kafka from here. */
@ApplicationScoped
public class OutboxPublisher {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    BillingConfig config;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private OutboxRelay relay;

    void start(@Observes StartupEvent event) {
        relay = new OutboxRelay(dataSource, bootstrapServers, "billing-outbox", config.relay().batchSize(),
                Duration.ofMillis(config.relay().intervalMs())).start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (relay != null) {
            relay.close();
        }
    }
}
