package kz.ehr.events.kafka;

import java.util.List;
import java.util.regex.Pattern;

import kz.ehr.events.Topics;

/**
 * Who may do what on the platform's broker: one SCRAM principal per service and per Kafka-native provider adapter,
 * plus {@link #ADMIN} (topics, users, ACLs, ops tools). The broker's ACLs are made from this table and nothing else
 * (local-platform {@code KafkaAccess}); everything not granted here is denied.
 */
public final class KafkaPrincipals {
    /** Super user: creates topics, users and ACLs; ops tools (lag, dead letters) log in as it. */
    public static final String ADMIN = "admin";
    private static final String PROVIDER_PREFIX = "provider-";
    private static final Pattern PROVIDER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private KafkaPrincipals() {
    }

    /**
     * A service's principal: the topics it reads (with its consumer groups, all named {@code groupPrefix…}), the
     * only topics it may write, and its own dead-letter topic ({@link #deadLetterTopic()}), which it alone writes
     * (its consumer loops) and reads (its ops endpoint, to show and replay dead letters to its own consumers). A
     * replay goes straight back to the consumer loop, so no service needs WRITE on a topic it consumes.
     *
     * @param readsProviderTopics whether it also reads every {@code provider.records.v1.<providerId>}
     */
    public enum Service {
        INGESTION("ingestion-service", "ingestion", List.of(Topics.PROVIDER_RECORDS), true,
                List.of(Topics.PATIENTS, Topics.REGISTRY, Topics.CARE, Topics.INGEST_REJECTED)),
        PATIENT_INDEX("patient-index-service", "patient-index",
                List.of(Topics.PATIENTS, Topics.REGISTRY, Topics.CARE), false, List.of(Topics.MPI_LINKS)),
        CERTIFICATES("certificate-service", "certificate-service",
                List.of(Topics.PATIENTS, Topics.REGISTRY, Topics.CARE, Topics.MPI_LINKS), false,
                List.of(Topics.CERTIFICATE_EVENTS)),
        BILLING("billing-service", "billing-service",
                List.of(Topics.PATIENTS, Topics.REGISTRY, Topics.CARE, Topics.MPI_LINKS), false,
                List.of(Topics.BILLING_EVENTS));

        /** The user name: the service's {@code quarkus.application.name}, so no table maps one to the other. */
        public final String principal;
        public final String groupPrefix;
        public final List<Topics> reads;
        public final boolean readsProviderTopics;
        public final List<Topics> writes;

        Service(String principal, String groupPrefix, List<Topics> reads, boolean readsProviderTopics,
                List<Topics> writes) {
            this.principal = principal;
            this.groupPrefix = groupPrefix;
            this.reads = reads;
            this.readsProviderTopics = readsProviderTopics;
            this.writes = writes;
        }

        /** {@code deadletter.v1.<principal>}: READ and WRITE for this service, nothing for anyone else but the admin. */
        public String deadLetterTopic() {
            return Topics.deadLetterTopic(principal);
        }

        /** The service whose consumer groups (ACL prefix {@link #groupPrefix}) include {@code groupId}. */
        public static java.util.Optional<Service> ofGroup(String groupId) {
            for (Service s : values()) {
                if (groupId != null && groupId.startsWith(s.groupPrefix)) {
                    return java.util.Optional.of(s);
                }
            }
            return java.util.Optional.empty();
        }

        /** The service whose {@code quarkus.application.name} is {@code application}. */
        public static Service ofApplication(String application) {
            for (Service s : values()) {
                if (s.principal.equals(application)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("no Kafka principal for application " + application);
        }
    }

    /** The principal of a Kafka-native provider adapter; it alone may write {@link Topics#providerTopic}. */
    public static String provider(String providerId) {
        return PROVIDER_PREFIX + requireProviderId(providerId);
    }

    /** Provider ids that can name a principal and a topic: letters, digits, '-' and '_', at most 64. */
    public static String requireProviderId(String providerId) {
        if (providerId == null || !PROVIDER_ID.matcher(providerId).matches()) {
            throw new IllegalArgumentException("provider id must be 1-64 letters, digits, '-' or '_': " + providerId);
        }
        return providerId;
    }
}
