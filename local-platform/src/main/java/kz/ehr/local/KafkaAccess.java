package kz.ehr.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.KafkaCredentials;
import kz.ehr.events.kafka.KafkaPrincipals;

/**
 * Makes the broker's users, topics and ACLs match {@link KafkaPrincipals}: as the admin, upserts a SCRAM-SHA-512
 * user per principal with its password from {@link KafkaCredentials}, creates the topics, and grants each service
 * READ on what it consumes (and its consumer groups, by prefix) and WRITE on what it owns, and each provider WRITE
 * on its own topic only. Idempotent; waits until the broker enforces what it granted, so a client that logs in
 * right after is not refused.
 */
public final class KafkaAccess {
    private static final long PROPAGATION_MS = 60_000;

    private KafkaAccess() {
    }

    /** Topics, users and ACLs of every service and of {@code providerIds}. */
    public static void apply(KafkaClients admin, KafkaCredentials credentials, Collection<String> providerIds) {
        Topics.ensureAll(admin, providerIds.toArray(String[]::new));
        List<String> principals = new ArrayList<>();
        List<AclBinding> acls = new ArrayList<>();
        for (KafkaPrincipals.Service s : KafkaPrincipals.Service.values()) {
            principals.add(s.principal);
            acls.addAll(bindings(s));
        }
        for (String id : providerIds) {
            principals.add(KafkaPrincipals.provider(id));
            acls.addAll(providerBindings(id));
        }
        grant(admin, credentials, principals, acls);
    }

    /** A Kafka-native adapter for {@code providerId}: its user, its topic, WRITE on that topic and nothing else. */
    public static KafkaClients grantProvider(KafkaClients admin, KafkaCredentials credentials, String providerId) {
        Topics.ensureAll(admin, providerId);
        String principal = KafkaPrincipals.provider(providerId);
        grant(admin, credentials, List.of(principal), providerBindings(providerId));
        return credentials.clients(admin.bootstrapServers(), principal);
    }

    static List<AclBinding> bindings(KafkaPrincipals.Service s) {
        String user = "User:" + s.principal;
        List<AclBinding> acls = new ArrayList<>();
        for (Topics t : s.reads) {
            acls.add(allow(ResourceType.TOPIC, t.topic, PatternType.LITERAL, user, AclOperation.READ));
        }
        if (s.readsProviderTopics) {
            acls.add(allow(ResourceType.TOPIC, Topics.PROVIDER_RECORDS.topic + ".", PatternType.PREFIXED, user, AclOperation.READ));
        }
        acls.add(allow(ResourceType.GROUP, s.groupPrefix, PatternType.PREFIXED, user, AclOperation.READ));
        for (Topics t : s.writes) {
            acls.add(allow(ResourceType.TOPIC, t.topic, PatternType.LITERAL, user, AclOperation.WRITE));
        }
        // its own dead letters: its loops write them, its ops endpoint reads them (without a consumer group)
        acls.add(allow(ResourceType.TOPIC, s.deadLetterTopic(), PatternType.LITERAL, user, AclOperation.WRITE));
        acls.add(allow(ResourceType.TOPIC, s.deadLetterTopic(), PatternType.LITERAL, user, AclOperation.READ));
        return acls;
    }

    static List<AclBinding> providerBindings(String providerId) {
        return List.of(allow(ResourceType.TOPIC, Topics.providerTopic(providerId), PatternType.LITERAL,
                "User:" + KafkaPrincipals.provider(providerId), AclOperation.WRITE));
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, String principal, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    private static void grant(KafkaClients admin, KafkaCredentials credentials, List<String> principals, List<AclBinding> acls) {
        try (Admin client = admin.admin()) {
            List<UserScramCredentialAlteration> users = new ArrayList<>();
            for (String p : principals) {
                // always upserted: a password file made anew (or edited) takes effect at the next start
                users.add(new UserScramCredentialUpsertion(p, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                        credentials.password(p)));
            }
            client.alterUserScramCredentials(users).all().get(60, TimeUnit.SECONDS);
            client.createAcls(acls).all().get(60, TimeUnit.SECONDS);
            awaitEnforced(client, Set.copyOf(principals), acls);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up Kafka users and ACLs at " + admin.bootstrapServers() + ": " + e, e);
        }
    }

    /** Users and ACLs reach the broker's credential cache and authorizer asynchronously: poll until they are there. */
    private static void awaitEnforced(Admin client, Set<String> principals, List<AclBinding> acls) throws Exception {
        long deadline = System.currentTimeMillis() + PROPAGATION_MS;
        while (true) {
            Set<String> users = new HashSet<>(client.describeUserScramCredentials().users().get(30, TimeUnit.SECONDS));
            Set<AclBinding> present = new HashSet<>(client.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
            if (users.containsAll(principals) && present.containsAll(acls)) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                Set<AclBinding> missing = acls.stream().filter(a -> !present.contains(a)).collect(Collectors.toSet());
                throw new IllegalStateException("the broker does not enforce yet: users " + principals + " (has " + users
                        + "), ACLs missing " + missing);
            }
            Thread.sleep(100);
        }
    }

    /**
     * For a broker this project did not start (compose's {@code kafka-init}): {@code java -cp 'local-platform.jar:lib/*'
     * kz.ehr.local.KafkaAccess --bootstrap kafka:9093 [--truststore broker.crt]}, every password from the environment:
     * {@code EHR_KAFKA_PASSWORD_ADMIN}, {@code EHR_KAFKA_PASSWORD_INGESTION_SERVICE} (one per service, see
     * {@link KafkaCredentials#fromEnvironment}), and the Kafka-native adapters as {@code EHR_KAFKA_PROVIDER_PASSWORDS}
     * ({@code providerId:password,…}, like {@code EHR_PROVIDER_KEYS}). With a trust store (PEM) it connects over SASL_SSL.
     */
    public static void main(String[] args) {
        String bootstrap = LocalKafkaBroker.arg(args, "--bootstrap", "kafka:9093");
        String truststore = LocalKafkaBroker.arg(args, "--truststore", "");
        Map<String, String> env = new HashMap<>(System.getenv());
        List<String> providers = new ArrayList<>();
        for (String entry : env.getOrDefault("EHR_KAFKA_PROVIDER_PASSWORDS", "").split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("EHR_KAFKA_PROVIDER_PASSWORDS holds providerId:password pairs, comma-separated");
            }
            String id = entry.substring(0, colon).trim();
            providers.add(id);
            env.put(KafkaCredentials.environmentName(KafkaPrincipals.provider(id)), entry.substring(colon + 1).trim());
        }
        KafkaCredentials credentials = KafkaCredentials.fromEnvironment(env);
        KafkaClients admin = credentials.clients(bootstrap, KafkaPrincipals.ADMIN);
        if (!truststore.isEmpty()) {
            admin = admin.with(Map.of("security.protocol", "SASL_SSL", "ssl.truststore.type", "PEM",
                    "ssl.truststore.location", truststore));
        }
        apply(admin, credentials, providers);
        System.out.printf("KAFKA ACCESS READY: topics, users and ACLs of %d services and %d providers%n",
                KafkaPrincipals.Service.values().length, providers.size());
    }
}
