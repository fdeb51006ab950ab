package kz.ehr.ingestion.rest;

import java.sql.SQLException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.identity.SecurityIdentity;
import kz.ehr.ingestion.providers.ProviderKeys;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/**
 * Who is calling an endpoint that both a provider (its own data, by its API key) and ops staff (signed token with
 * the ops role) may use. The provider key is looked up first; only a bearer that is no provider key is handed to
 * the token verifier, so a provider key is never parsed as a JWT and a staff token is never taken as a provider key.
 */
@ApplicationScoped
class Callers {
    /** The audit log's name for a provider; staff names cannot contain ':' (StaffTokens), so the two never clash. */
    static final String PROVIDER_PREFIX = "provider:";

    @Inject
    ProviderKeys keys;
    @Inject
    SecurityIdentity identity;

    /** A provider by id, or a staff member by name with their roles; {@link #none()} if the bearer is neither. */
    record Identified(String providerId, SecurityIdentity staff) {
        static Identified none() {
            return new Identified(null, null);
        }

        boolean isProvider() {
            return providerId != null;
        }

        boolean isOps() {
            return staff != null && staff.hasRole(Roles.OPS);
        }

        /** What the audit log records as "who". */
        String who() {
            return isProvider() ? PROVIDER_PREFIX + providerId : Caller.of(staff, null).who();
        }
    }

    /** Throws Quarkus' AuthenticationFailedException (answered 401) for a forged or expired staff token. */
    Identified identify(String authorization) throws SQLException {
        String bearer = Problems.bearer(authorization);
        if (bearer == null || bearer.isEmpty()) {
            return Identified.none();
        }
        Optional<String> provider = keys.providerFor(bearer);
        if (provider.isPresent()) {
            return new Identified(provider.get(), null);
        }
        if (bearer.chars().filter(c -> c == '.').count() != 2) {
            return Identified.none(); // not a JWT: an unknown or revoked provider key
        }
        return identity.isAnonymous() ? Identified.none() : new Identified(null, identity);
    }
}
