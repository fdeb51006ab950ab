package kz.ehr.ingestion.providers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.ingestion.config.IngestionConfig;

/**
 * Provider API keys, kept only as SHA-256 hashes in PostgreSQL; a provider may hold several active keys so it
 * can rotate. Seeded at start from EHR_PROVIDER_KEYS ({@code providerId:key,…}); a key itself is never logged (the
 * launcher makes and shows the demo keys).
 * Keys are Panache entities ({@link ProviderKey}); the two reads on the intakes' paths are plain JDBC: {@link #providerFor}
 * once per request, {@link #isActiveProvider} on the Kafka intake's connection (IngestionBenchmark).
 */
@ApplicationScoped
public class ProviderKeys {
    private static final Logger LOG = Logger.getLogger(ProviderKeys.class);
    public static final Pattern PROVIDER_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    IngestionConfig config;
    @Inject
    AgroalDataSource dataSource;

    public record KeyInfo(String keyId, String providerId, Instant createdAt, Instant revokedAt) {
    }

    /** A newly issued key: the only time the key itself is shown. */
    public record IssuedKey(String keyId, String providerId, String key, Instant createdAt) {
    }

    void seed(@Observes StartupEvent event) throws SQLException {
        String spec = config.providerKeys().filter(s -> !s.isBlank()).orElse(System.getenv("EHR_PROVIDER_KEYS"));
        if (spec != null && !spec.isBlank()) {
            for (String pair : spec.split(",")) {
                int colon = pair.indexOf(':');
                if (colon <= 0 || colon == pair.length() - 1) {
                    throw new IllegalArgumentException("EHR_PROVIDER_KEYS entries must be providerId:key");
                }
                register(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
            }
            return;
        }
        if (!hasAnyActiveKey()) {
            // a key is a secret: never made up and written to a log here. ./ehr up creates the demo keys, shows them
            // once on its terminal and keeps them in .ehr/provider-keys (mode 600); ops issue more through the API
            LOG.warn("No provider can submit yet: EHR_PROVIDER_KEYS is not set and no key is stored; "
                    + "issue one with POST /api/v1/providers/{providerId}/keys (ops)");
        }
    }

    /** Stores a known key (idempotent: seeding the same key again changes nothing). */
    public void register(String providerId, String key) throws SQLException {
        if (!PROVIDER_ID.matcher(providerId).matches()) {
            throw new IllegalArgumentException("provider id must match " + PROVIDER_ID.pattern());
        }
        if (!store(providerId, hash(key))) {
            throw new IllegalStateException("a different key already has the id " + hash(key).substring(0, 12));
        }
    }

    public IssuedKey issue(String providerId) throws SQLException {
        while (true) {
            byte[] raw = new byte[24];
            RANDOM.nextBytes(raw);
            String key = HexFormat.of().formatHex(raw);
            String hash = hash(key);
            if (store(providerId, hash)) { // a fresh key whose 48-bit id is taken (about never) is drawn again
                return new IssuedKey(hash.substring(0, 12), providerId, key, Instant.now());
            }
        }
    }

    /**
     * Inserts the key unless its id is there already; two instances seeding the same keys at once both succeed.
     *
     * @return false when the id belongs to a different key
     */
    private boolean store(String providerId, String hash) throws SQLException {
        String keyId = hash.substring(0, 12);
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                ProviderKey k = new ProviderKey();
                k.keyId = keyId;
                k.keyHash = hash;
                k.providerId = providerId;
                k.createdAt = Instant.now();
                k.persist();
            });
            return true;
        } catch (RuntimeException e) {
            ProviderKey existing = db(() -> ProviderKey.<ProviderKey>findByIdOptional(keyId).orElse(null));
            if (existing == null) {
                throw unwrap(e);
            }
            return existing.keyHash.equals(hash) && existing.providerId.equals(providerId);
        }
    }

    /** @return whether an active key of that provider was revoked */
    public boolean revoke(String providerId, String keyId) throws SQLException {
        return db(() -> ProviderKey.update("revokedAt = ?1 where keyId = ?2 and providerId = ?3 and revokedAt is null",
                Instant.now(), keyId, providerId)) == 1;
    }

    public List<KeyInfo> keys(String providerId) throws SQLException {
        return db(() -> ProviderKey.<ProviderKey>list("providerId", Sort.by("createdAt"), providerId).stream()
                .map(k -> new KeyInfo(k.keyId, k.providerId, k.createdAt, k.revokedAt)).toList());
    }

    /** The provider an active bearer key belongs to, if any. */
    public Optional<String> providerFor(String key) throws SQLException {
        if (key == null || key.isEmpty() || key.length() > 512) {
            return Optional.empty();
        }
        // plain JDBC: every request to the intake asks this once, and the Panache query in a transaction of its own was
        // 5 % of ingestion's Java samples in a 400k pipeline run's JFR (docs/benchmarks/pipeline.md)
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT provider_id FROM provider_key WHERE key_hash = ? AND revoked_at IS NULL LIMIT 1")) {
            ps.setString(1, hash(key));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Whether the provider holds an active key: a Kafka-native record from anyone else is rejected. Plain JDBC on the
     * Kafka intake's own connection and transaction (the hot path IngestionBenchmark's Kafka run measures).
     */
    public boolean isActiveProvider(Connection c, String providerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM provider_key WHERE provider_id = ? AND revoked_at IS NULL LIMIT 1")) {
            ps.setString(1, providerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private boolean hasAnyActiveKey() throws SQLException {
        return db(() -> ProviderKey.count("revokedAt is null")) > 0;
    }

    /**
     * Runs Panache work in a transaction (joined if one is open: the request and start-up threads have none); a
     * database failure comes out as the SQLException behind it, which callers answer with 503.
     */
    private static <T> T db(Supplier<T> work) throws SQLException {
        try {
            return QuarkusTransaction.joiningExisting().call(work::get);
        } catch (RuntimeException e) {
            throw unwrap(e);
        }
    }

    private static SQLException unwrap(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        throw e;
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
