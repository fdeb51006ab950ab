package kz.ehr.ingestion.providers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import kz.ehr.ingestion.config.IngestionConfig;

/**
 * Provider API keys, kept only as SHA-256 hashes. Keys come from EHR_PROVIDER_KEYS
 * ({@code providerId:key,…}); without it, demo keys are generated and printed once at start.
 */
@ApplicationScoped
public class ProviderKeys {
    private static final Logger LOG = Logger.getLogger(ProviderKeys.class);

    @Inject
    IngestionConfig config;

    private final Map<String, String> providerByKeyHash = new ConcurrentHashMap<>();

    @PostConstruct
    void load() {
        String spec = config.providerKeys().orElse(System.getenv("EHR_PROVIDER_KEYS"));
        if (spec == null || spec.isBlank()) {
            SecureRandom random = new SecureRandom();
            StringBuilder printed = new StringBuilder();
            for (String provider : new String[] {"damumed", "kmis", "medelement"}) {
                byte[] raw = new byte[18];
                random.nextBytes(raw);
                String key = HexFormat.of().formatHex(raw);
                register(provider, key);
                printed.append(printed.isEmpty() ? "" : ",").append(provider).append(':').append(key);
            }
            // demo credentials only: printed so a newcomer can call the API; set EHR_PROVIDER_KEYS to choose them
            LOG.infof("No EHR_PROVIDER_KEYS set; demo provider keys: %s", printed);
            return;
        }
        for (String pair : spec.split(",")) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new IllegalArgumentException("EHR_PROVIDER_KEYS entries must be providerId:key");
            }
            register(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
    }

    public void register(String providerId, String key) {
        providerByKeyHash.put(hash(key), providerId);
    }

    /** The provider a bearer key belongs to, if any. */
    public Optional<String> providerFor(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(providerByKeyHash.get(hash(key)));
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
