package kz.ehr.events.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Every producer, consumer and admin client of the platform is made here, from one connection (bootstrap servers
 * and security: in a service Quarkus's {@code kafka.*} configuration, see {@link QuarkusKafkaClients}) plus the
 * platform's delivery rules, which nothing can override: producers {@code acks=all} with idempotence, consumers
 * commit manually (after the database commit) and read only committed records.
 */
public final class KafkaClients {
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private final Map<String, Object> connection;
    private final Consumer<Object> onCreated;

    private KafkaClients(Map<String, Object> connection, Consumer<Object> onCreated) {
        this.connection = Map.copyOf(connection);
        this.onCreated = onCreated;
    }

    /**
     * Clients for {@code connection}: {@code bootstrap.servers} and whatever else every client shares (security
     * settings, timeouts). A {@code group.id} in it (Quarkus adds the application name) is ignored: each consumer
     * names its own group; so are blank values (an unset {@code ${VAR:}} placeholder).
     */
    public static KafkaClients of(Map<String, ?> connection) {
        Map<String, Object> copy = new HashMap<>();
        connection.forEach((k, v) -> {
            if (v != null && !String.valueOf(v).isBlank() && !ConsumerConfig.GROUP_ID_CONFIG.equals(k)) {
                copy.put(k, v);
            }
        });
        if (!copy.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("the Kafka connection names no bootstrap.servers");
        }
        return new KafkaClients(copy, client -> { });
    }

    /** A SCRAM-SHA-512 login as {@code user} over SASL_PLAINTEXT: the embedded broker's loopback listener. */
    public static Map<String, Object> scram(String bootstrapServers, String user, String password) {
        if (user.contains("\"") || password.contains("\"")) {
            throw new IllegalArgumentException("a Kafka user name or password cannot contain a double quote");
        }
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        c.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
        c.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return c;
    }

    /** The same clients, and {@code onCreated} sees every producer and consumer made from now on (e.g. to bind metrics). */
    public KafkaClients observedBy(Consumer<Object> onCreated) {
        return new KafkaClients(connection, onCreated);
    }

    /** The same connection with some settings replaced (e.g. a shorter metadata age, a dead address in a test). */
    public KafkaClients with(Map<String, ?> overrides) {
        Map<String, Object> c = new HashMap<>(connection);
        c.putAll(overrides);
        return new KafkaClients(c, onCreated);
    }

    public Map<String, Object> connection() {
        return connection;
    }

    public String bootstrapServers() {
        return String.valueOf(connection.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    public Properties producerProperties(String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.putAll(connection);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // the delivery rules last: no connection setting can weaken them
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }

    public Properties consumerProperties(String groupId, int maxPollRecords) {
        Properties p = new Properties();
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
        // a killed consumer's partitions move to its replacement after this, not after the 45 s default
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        p.putAll(connection);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + ProcessHandle.current().pid());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    public <K, V> KafkaProducer<K, V> producer(String clientId, Serializer<K> keys, Serializer<V> values) {
        return observed(new KafkaProducer<>(producerProperties(clientId), keys, values));
    }

    public <K, V> KafkaConsumer<K, V> consumer(String groupId, int maxPollRecords, Deserializer<K> keys, Deserializer<V> values) {
        return observed(new KafkaConsumer<>(consumerProperties(groupId, maxPollRecords), keys, values));
    }

    /**
     * A consumer in no group, for reading a topic with {@code assign}/{@code seek} (e.g. the dead letters an ops
     * endpoint shows): it commits nothing, so it needs READ on the topic and no group ACL.
     */
    public <K, V> KafkaConsumer<K, V> reader(String clientId, Deserializer<K> keys, Deserializer<V> values) {
        Properties p = new Properties();
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putAll(connection);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + ProcessHandle.current().pid());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // short-lived, so not announced for metrics (a binder would keep it)
        return new KafkaConsumer<>(p, keys, values);
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        p.putAll(connection);
        return Admin.create(p);
    }

    private <C> C observed(C client) {
        onCreated.accept(client);
        return client;
    }
}
