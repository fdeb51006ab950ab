package kz.ehr.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.KafkaPrincipals;

/** Every topic of the platform with its partition count; topics are created explicitly, never auto-created. */
public enum Topics {
    /** Shared, read during a transition only: no principal but the admin may write it. See {@link #providerTopic}. */
    PROVIDER_RECORDS("provider.records.v1", 6),
    PATIENTS("ehr.patients.v1", 6),
    REGISTRY("ehr.registry.v1", 6),
    CARE("ehr.care.v1", 6),
    INGEST_REJECTED("ingest.rejected.v1", 3),
    MPI_LINKS("mpi.links.v1", 6),
    CERTIFICATE_EVENTS("certificates.events.v1", 3),
    BILLING_EVENTS("billing.events.v1", 3),
    /**
     * Records a consumer could not decode or process, with the reason in headers: of loops that belong to no service
     * (the admin's tools and tests) here, and of each service's loops in its own {@link #deadLetterTopic}, which only
     * that service may write and read.
     */
    DEAD_LETTER("deadletter.v1", 3);

    public final String topic;
    public final int partitions;

    Topics(String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
    }

    /** Where provider {@code providerId}'s Kafka-native adapter writes; only its own principal may. */
    public static String providerTopic(String providerId) {
        return PROVIDER_RECORDS.topic + "." + KafkaPrincipals.requireProviderId(providerId);
    }

    /**
     * Where the service logging in as {@code principal} dead-letters what its consumers could not apply, and where its
     * ops endpoint reads them back: {@code deadletter.v1.<principal>}, so one service's dead letters (payloads with
     * patient data) are never readable by another.
     */
    public static String deadLetterTopic(String principal) {
        return DEAD_LETTER.topic + "." + principal;
    }

    /** Every dead-letter topic: each service's and the admin's {@link #DEAD_LETTER}. */
    public static List<String> deadLetterTopics() {
        List<String> all = new ArrayList<>();
        for (KafkaPrincipals.Service s : KafkaPrincipals.Service.values()) {
            all.add(deadLetterTopic(s.principal));
        }
        all.add(DEAD_LETTER.topic);
        return all;
    }

    /** The dead-letter topic of consumer group {@code groupId}: its service's, or {@link #DEAD_LETTER} for any other group. */
    public static String deadLetterTopicOfGroup(String groupId) {
        return KafkaPrincipals.Service.ofGroup(groupId).map(s -> deadLetterTopic(s.principal)).orElse(DEAD_LETTER.topic);
    }

    /**
     * The provider a {@link #providerTopic} belongs to, or empty for any other topic (the shared
     * {@code provider.records.v1} included): the broker's ACLs bind the topic to the provider's principal, so the
     * topic, not the message, says who sent a record.
     */
    public static Optional<String> providerOf(String topic) {
        String prefix = PROVIDER_RECORDS.topic + ".";
        if (topic == null || !topic.startsWith(prefix)) {
            return Optional.empty();
        }
        return Optional.of(topic.substring(prefix.length()));
    }

    /** The intake's subscription: the shared topic and every provider's own. */
    public static Pattern providerTopics() {
        return Pattern.compile(Pattern.quote(PROVIDER_RECORDS.topic) + "(\\.[A-Za-z0-9_-]+)?");
    }

    /**
     * Creates every platform topic that does not exist yet, plus {@code provider.records.v1.<id>} for each of
     * {@code providerIds}; needs a principal allowed to create topics (the admin).
     */
    public static void ensureAll(KafkaClients admin, String... providerIds) {
        List<NewTopic> wanted = new ArrayList<>();
        for (Topics t : values()) {
            wanted.add(new NewTopic(t.topic, t.partitions, (short) 1));
        }
        for (KafkaPrincipals.Service s : KafkaPrincipals.Service.values()) {
            wanted.add(new NewTopic(deadLetterTopic(s.principal), DEAD_LETTER.partitions, (short) 1));
        }
        for (String id : providerIds) {
            wanted.add(new NewTopic(providerTopic(id), PROVIDER_RECORDS.partitions, (short) 1));
        }
        try (Admin client = admin.admin()) {
            Set<String> existing = client.listTopics().names().get(30, TimeUnit.SECONDS);
            for (NewTopic t : wanted) {
                if (existing.contains(t.name())) {
                    continue;
                }
                try {
                    client.createTopics(List.of(t.configs(Map.of("min.insync.replicas", "1")))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + t.name(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach Kafka at " + admin.bootstrapServers() + " to create topics", e);
        }
    }
}
