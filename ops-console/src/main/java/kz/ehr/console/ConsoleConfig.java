package kz.ehr.console;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything the console can be told: where the four services answer, and whether it may mint tokens. */
@ConfigMapping(prefix = "console")
public interface ConsoleConfig {
    /** Base URL of ingestion-service's REST API (no trailing slash). */
    @WithDefault("http://127.0.0.1:8081")
    String ingestionUrl();

    /** Base URL of patient-index-service. */
    @WithDefault("http://127.0.0.1:8082")
    String patientIndexUrl();

    /** Base URL of certificate-service. */
    @WithDefault("http://127.0.0.1:8083")
    String certificatesUrl();

    /** Base URL of billing-service. */
    @WithDefault("http://127.0.0.1:8084")
    String billingUrl();

    /** How long one call to a service may take before the page says the service is not answering. */
    @WithDefault("5s")
    Duration timeout();

    /**
     * The embedded platform only ({@code ./ehr up} sets it to {@code .ehr/auth/private.pem}): the sign-in page then
     * also mints a token for a chosen user and roles, exactly as {@code ./ehr token} does. Unset in production, where
     * the identity provider issues tokens and the console never sees a signing key.
     */
    Optional<String> mintKey();

    /** Send the session cookie with {@code Secure} (set it wherever the console is served over HTTPS). */
    @WithDefault("false")
    boolean secureCookie();
}
