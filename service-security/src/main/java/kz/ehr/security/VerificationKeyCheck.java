package kz.ehr.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a service whose token verification key cannot be read. Otherwise the mistake shows up only at
 * the first staff request, as a 500 that tells the caller nothing.
 */
@ApplicationScoped
public class VerificationKeyCheck {
    static final String LOCATION = "mp.jwt.verify.publickey.location";

    // before the services' own start-up work (topics, consumers), which would fail first and hide this
    void onStart(@Observes @Priority(1) StartupEvent event) {
        Optional<String> location = ConfigProvider.getConfig().getOptionalValue(LOCATION, String.class);
        problem(location.orElse(null), Thread.currentThread().getContextClassLoader()).ifPresent(message -> {
            throw new IllegalStateException(message);
        });
    }

    /** Why the configured key location cannot work, or empty when it can. */
    static Optional<String> problem(String location, ClassLoader classLoader) {
        if (location == null || location.isBlank()) {
            return Optional.of("STAFF_KEY_MISSING: set EHR_AUTH_PUBLIC_KEY (" + LOCATION + ") to the PEM public key "
                    + "that signs staff tokens; './ehr up' creates one in .ehr/auth");
        }
        String where = location.strip();
        if (where.startsWith("http://") || where.startsWith("https://")) {
            return Optional.empty(); // a JWKS endpoint of the identity provider, fetched by SmallRye JWT itself
        }
        if (where.startsWith("classpath:")) {
            where = where.substring("classpath:".length());
            return classLoader.getResource(where) != null ? Optional.empty()
                    : Optional.of("STAFF_KEY_MISSING: no classpath resource " + where + " (" + LOCATION + ")");
        }
        String file = where.startsWith("file:") ? where.substring("file:".length()) : where;
        if (Files.isReadable(Path.of(file)) || classLoader.getResource(where) != null) {
            return Optional.empty();
        }
        return Optional.of("STAFF_KEY_MISSING: cannot read the staff token key " + file + " (" + LOCATION
                + " / EHR_AUTH_PUBLIC_KEY)");
    }
}
