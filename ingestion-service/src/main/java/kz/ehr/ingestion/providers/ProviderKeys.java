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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.ingestion.config.IngestionConfig;

/**
 * Provider API keys, kept only as SHA-256 hashes in PostgreSQL; a provider may hold several active keys so it
 * can rotate. Seeded at start from EHR_PROVIDER_KEYS ({@code providerId:key,…}); a key itself is never logged (the
 * launcher makes and shows the demo keys).
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
        String hash = hash(key);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO provider_key (key_id, key_hash, provider_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, hash.substring(0, 12));
            ps.setString(2, hash);
            ps.setString(3, providerId);
            ps.executeUpdate();
        }
    }

    public IssuedKey issue(String providerId) throws SQLException {
        byte[] raw = new byte[24];
        RANDOM.nextBytes(raw);
        String key = HexFormat.of().formatHex(raw);
        register(providerId, key);
        return new IssuedKey(hash(key).substring(0, 12), providerId, key, Instant.now());
    }

    /** @return whether an active key of that provider was revoked */
    public boolean revoke(String providerId, String keyId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE provider_key SET revoked_at = now() WHERE key_id = ? AND provider_id = ? AND revoked_at IS NULL")) {
            ps.setString(1, keyId);
            ps.setString(2, providerId);
            return ps.executeUpdate() == 1;
        }
    }

    public List<KeyInfo> keys(String providerId) throws SQLException {
        List<KeyInfo> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT key_id, provider_id, created_at, revoked_at FROM provider_key WHERE provider_id = ? ORDER BY created_at")) {
            ps.setString(1, providerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new KeyInfo(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return out;
    }

    /** The provider an active bearer key belongs to, if any. */
    public Optional<String> providerFor(String key) throws SQLException {
        if (key == null || key.isEmpty() || key.length() > 512) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT provider_id FROM provider_key WHERE key_hash = ? AND revoked_at IS NULL")) {
            ps.setString(1, hash(key));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Whether the provider holds an active key: a Kafka-native record from anyone else is rejected. */
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
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM provider_key WHERE revoked_at IS NULL LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
