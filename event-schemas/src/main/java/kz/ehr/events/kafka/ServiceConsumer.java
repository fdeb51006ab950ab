package kz.ehr.events.kafka;

import javax.sql.DataSource;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The wiring every service's Kafka consumer shares, once: at startup its {@link BatchConsumerLoop} gets the service's
 * database (for the dead-letter replay ledger), is registered with the readiness check and started; at shutdown it is
 * closed. A consumer class ({@code PatientRecordsConsumer}, ...) only says which loop: group, topics, codec, batch size
 * and the domain call.
 */
public abstract class ServiceConsumer<T> {
    @Inject
    protected DataSource dataSource;
    @Inject
    protected ConsumerLoopsReadiness readiness;
    @Inject
    protected KafkaClients kafka;

    private volatile BatchConsumerLoop<T> loop;

    /** This service's loop, not started yet; null when the service is configured to run without it. */
    protected abstract BatchConsumerLoop<T> newLoop(KafkaClients kafka);

    public void start(@Observes StartupEvent event) {
        BatchConsumerLoop<T> created = newLoop(kafka);
        if (created != null) {
            loop = readiness.register(created.withDatabase(dataSource).start());
        }
    }

    public void stop(@Observes ShutdownEvent event) {
        BatchConsumerLoop<T> running = loop;
        if (running != null) {
            running.close();
        }
    }

    /** Whether the loop has its partitions (tests wait for it before they publish). */
    public boolean isAssigned() {
        BatchConsumerLoop<T> running = loop;
        return running != null && running.isAssigned();
    }
}
