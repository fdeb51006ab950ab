package kz.ehr.events;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Every topic of the platform with its partition count; topics are created explicitly, never auto-created. */
public enum Topics {
    PROVIDER_RECORDS("provider.records.v1", 6),
    PATIENTS("ehr.patients.v1", 6),
    REGISTRY("ehr.registry.v1", 6),
    CARE("ehr.care.v1", 6),
    INGEST_REJECTED("ingest.rejected.v1", 3),
    MPI_LINKS("mpi.links.v1", 6),
    CERTIFICATE_EVENTS("certificates.events.v1", 3),
    BILLING_EVENTS("billing.events.v1", 3),
    /** Records a consumer could not decode or process, with the reason in headers. */
    DEAD_LETTER("deadletter.v1", 3);

    public final String topic;
    public final int partitions;

    Topics(String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
    }

    /** Creates every platform topic that does not exist yet; safe to call from every service at start. */
    public static void ensureAll(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = List.of(values()).stream()
                    .filter(t -> !existing.contains(t.topic))
                    .map(t -> new NewTopic(t.topic, t.partitions, (short) 1)
                            .configs(Map.of("min.insync.replicas", "1")))
                    .collect(Collectors.toList());
            if (missing.isEmpty()) {
                return;
            }
            missing.forEach(t -> {
                try {
                    admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + t.name(), e.getCause());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot create topic " + t.name(), e);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " to create topics", e);
        }
    }
}
