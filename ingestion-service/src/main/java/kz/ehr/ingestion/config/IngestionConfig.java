package kz.ehr.ingestion.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every tunable of the ingestion service. */
@ConfigMapping(prefix = "ehr.ingestion")
public interface IngestionConfig {

    /** Demo provider credentials, {@code providerId:key,providerId:key}; from EHR_PROVIDER_KEYS. */
    Optional<String> providerKeys();

    /** Most records one POST may carry; more is answered 413. */
    @WithDefault("10000")
    int maxBatchRecords();

    /** Largest request body in bytes; more is answered 413. */
    @WithDefault("16777216")
    long maxBatchBytes();

    /** Seconds a caller is told to wait when Kafka cannot make records durable. */
    @WithDefault("5")
    int retryAfterSeconds();
}
