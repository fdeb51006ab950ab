package kz.ehr.mpi.outbox;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.events.kafka.OutboxRelay;
import kz.ehr.mpi.config.MpiConfig;

/** Runs the shared outbox relay for as long as the service runs: link events reach mpi.links.v1 from here. */
@ApplicationScoped
public class OutboxPublisher {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MpiConfig config;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private OutboxRelay relay;

    void start(@Observes StartupEvent event) {
        relay = new OutboxRelay(dataSource, bootstrapServers, "patient-index-outbox", config.outboxBatch(),
                Duration.ofMillis(config.outboxPollMillis())).start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (relay != null) {
            relay.close();
        }
    }
}
