package kz.ehr.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

class StaffTokensTests {
    private static final KeyPair KEYS = StaffTokens.newKeyPair();

    @Test
    void a_token_carries_issuer_user_roles_and_expiry_and_verifies_with_the_public_key() throws Exception {
        String token = StaffTokens.sign(KEYS.getPrivate(), "aigerim", List.of(Roles.OPS, Roles.AUDITOR),
                Instant.ofEpochSecond(1_800_000_000L), Duration.ofHours(8));
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"iss\":\"ehr-stream\"", "\"upn\":\"aigerim\"", "\"groups\":[\"ops\",\"auditor\"]",
                "\"exp\":" + (1_800_000_000L + 8 * 3600));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(StaffTokens.readPublicPem(StaffTokens.publicPem(KEYS.getPublic())));
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void keys_survive_a_round_trip_through_pem() {
        assertThat(StaffTokens.readPrivatePem(StaffTokens.privatePem(KEYS.getPrivate())).getEncoded())
                .isEqualTo(KEYS.getPrivate().getEncoded());
    }

    @Test
    void unknown_roles_and_users_that_could_break_the_json_are_refused() {
        assertThatThrownBy(() -> StaffTokens.sign(KEYS.getPrivate(), "x", List.of("admin"), Instant.now(), Duration.ofHours(1)))
                .hasMessageContaining("unknown role \"admin\"");
        assertThatThrownBy(() -> StaffTokens.sign(KEYS.getPrivate(), "x\",\"groups\":[\"ops\"]", List.of(), Instant.now(),
                Duration.ofHours(1))).hasMessageContaining("user must be");
    }
}
