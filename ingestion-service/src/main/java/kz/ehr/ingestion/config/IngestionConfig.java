package kz.ehr.ingestion.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every tunable of the ingestion service. */
@ConfigMapping(prefix = "ehr.ingestion")
public interface IngestionConfig {

    /** Provider credentials seeded at start, {@code providerId:key,providerId:key}; from EHR_PROVIDER_KEYS. */
    Optional<String> providerKeys();

    /** Most records one POST may carry; more is answered 413. */
    @WithDefault("10000")
    int maxBatchRecords();

    /** Largest request body in bytes; more is answered 413. */
    @WithDefault("16777216")
    long maxBatchBytes();

    /** Deepest JSON nesting accepted in a record (a real record is 3 levels deep). */
    @WithDefault("32")
    int maxNestingDepth();

    /** Seconds a caller is told to wait when Kafka or the database cannot take the batch. */
    @WithDefault("5")
    int retryAfterSeconds();

    /** How long a batch waits for Kafka to acknowledge every record before the call answers 503. */
    @WithDefault("15s")
    Duration publishTimeout();

    /** Time zone in which calendar dates ("not in the future") are judged; Kazakhstan is UTC+5. */
    @WithDefault("Asia/Almaty")
    String zone();

    /** How far in the future an instant may be before it is rejected: MIS clocks drift. */
    @WithDefault("5m")
    Duration clockSkew();

    /** How long rejected records stay in the rejection list. */
    @WithDefault("30d")
    Duration rejectionRetention();

    /** Longest original payload kept in the rejection list (characters); the rejected topic has it whole. */
    @WithDefault("65536")
    int rejectionPayloadMaxChars();

    /**
     * Longest original payload put on ingest.rejected.v1 (characters), below Kafka's 1 MB message limit. Only
     * payloads that can never be valid are this long: every field of a record has a length limit far below it.
     */
    @WithDefault("262144")
    int rejectedTopicPayloadMaxChars();

    /**
     * Record types only named providers may send (a death revokes every certificate of the person, a dispensary
     * registration their clearances); others are rejected with TYPE_NOT_PERMITTED. See {@code TypePermissions}.
     */
    @WithDefault("DEATH,DISPENSARY")
    Set<String> restrictedTypes();

    /**
     * Per restricted type, the providers permitted to send it: ids, or prefixes ending in {@code *}
     * ({@code ehr.ingestion.permitted-senders.DEATH=civil-registry,damumed}). A type with none is refused from everyone.
     */
    Map<String, List<String>> permittedSenders();

    /** Kafka-native input (provider.records.v1). */
    Consumer consumer();

    interface Consumer {
        /** Whether to consume provider.records.v1 at all. */
        @WithDefault("true")
        boolean enabled();

        /** Records per poll, i.e. per database transaction. */
        @WithDefault("1000")
        int maxPollRecords();
    }
}
