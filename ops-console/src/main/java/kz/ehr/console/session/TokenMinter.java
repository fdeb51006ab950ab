package kz.ehr.console.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.console.ConsoleConfig;
import kz.ehr.security.StaffTokens;

/**
 * The embedded platform's sign-in by name: signs a token with the platform's local key through the same
 * {@link StaffTokens#sign} that {@code ./ehr token} (TokenIssuer) uses, with its default lifetime and audience rule.
 * Only when {@code console.mint-key} is set; in production the identity provider issues tokens.
 */
@ApplicationScoped
public class TokenMinter {
    static final Duration LIFETIME = Duration.ofHours(8);

    @Inject
    ConsoleConfig config;

    Clock clock = Clock.systemUTC();

    public boolean enabled() {
        return config.mintKey().filter(k -> !k.isBlank()).isPresent();
    }

    /** @throws IllegalArgumentException for a bad user or role (StaffTokens' sentence), IllegalStateException if minting is off */
    public String mint(String user, List<String> roles) {
        if (!enabled()) {
            throw new IllegalStateException("MINT_DISABLED: this console signs no tokens (not the embedded platform)");
        }
        String pem;
        try {
            pem = Files.readString(Path.of(config.mintKey().get()));
        } catch (IOException e) {
            throw new IllegalStateException("MINT_KEY_MISSING: cannot read the platform's signing key " + config.mintKey().get(), e);
        }
        String audience = System.getenv().getOrDefault(StaffTokens.AUDIENCE_ENV, "");
        return StaffTokens.sign(StaffTokens.readPrivatePem(pem), user == null ? "" : user.strip(), roles, clock.instant(), LIFETIME,
                audience.isBlank() ? StaffTokens.AUDIENCE : audience.strip());
    }
}
