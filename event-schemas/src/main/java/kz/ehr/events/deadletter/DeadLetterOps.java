package kz.ehr.events.deadletter;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import kz.ehr.events.Topics;
import kz.ehr.events.kafka.ConsumerLoopsReadiness;
import kz.ehr.events.kafka.KafkaClients;

/**
 * The service's {@link DeadLetterQueue}: its own {@code deadletter.v1.<quarkus.application.name>}, its database's
 * replay ledger, and the consumer loops it registered with {@link ConsumerLoopsReadiness}. Wiring only, once for
 * every service.
 */
@Singleton
public class DeadLetterOps {
    @ConfigProperty(name = "quarkus.application.name")
    String application;
    /** How long a replay request waits for the consumer loop to apply what it was handed. */
    @ConfigProperty(name = "ehr.dead-letters.replay-timeout", defaultValue = "60s")
    Duration replayTimeout;
    @Inject
    KafkaClients kafka;
    @Inject
    DataSource dataSource;
    @Inject
    ConsumerLoopsReadiness loops;

    private volatile DeadLetterQueue queue;

    public DeadLetterQueue queue() {
        DeadLetterQueue q = queue;
        if (q == null) {
            q = new DeadLetterQueue(kafka, Topics.deadLetterTopic(application), dataSource, loops::loop, replayTimeout);
            queue = q;
        }
        return q;
    }
}
