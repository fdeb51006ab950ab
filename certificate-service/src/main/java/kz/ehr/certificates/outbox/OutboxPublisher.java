package kz.ehr.certificates.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.events.kafka.OutboxRelay;

/** Runs the shared outbox relay for as long as the service runs: certificate events reach Kafka from here. */
@ApplicationScoped
public class OutboxPublisher {
    private static final int BATCH = 500;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    CertificatesConfig config;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private OutboxRelay relay;

    void start(@Observes StartupEvent event) {
        relay = new OutboxRelay(dataSource, bootstrapServers, "certificate-service-outbox", BATCH,
                config.outboxPollInterval()).start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (relay != null) {
            relay.close();
        }
    }
}
