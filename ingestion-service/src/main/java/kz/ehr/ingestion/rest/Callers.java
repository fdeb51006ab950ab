package kz.ehr.ingestion.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.ingestion.config.IngestionConfig;
import kz.ehr.ingestion.providers.ProviderKeys;

/** Who is calling: a provider (by its key) or ops (by the ops token). */
@ApplicationScoped
class Callers {
    static final String OPS = "ops";

    @Inject
    ProviderKeys keys;
    @Inject
    IngestionConfig config;

    /** "ops", "provider:&lt;id&gt;", or empty when the bearer is neither. */
    Optional<String> identify(String authorization) throws SQLException {
        String bearer = Problems.bearer(authorization);
        if (bearer == null || bearer.isEmpty()) {
            return Optional.empty();
        }
        if (isOpsToken(bearer)) {
            return Optional.of(OPS);
        }
        return keys.providerFor(bearer).map(p -> "provider:" + p);
    }

    boolean isOpsToken(String bearer) {
        return config.opsToken().filter(t -> !t.isBlank())
                // constant-time comparison: the token guards key management
                .map(t -> MessageDigest.isEqual(t.getBytes(StandardCharsets.UTF_8), bearer.getBytes(StandardCharsets.UTF_8)))
                .orElse(false);
    }

    /** Ops may see every provider; a provider only itself. */
    static boolean maySee(String caller, String providerId) {
        return OPS.equals(caller) || ("provider:" + providerId).equals(caller);
    }
}
