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
        assertThat(payload).contains("\"iss\":\"ehr-stream\"", "\"aud\":\"ehr-stream\"", "\"upn\":\"aigerim\"", "\"groups\":[\"ops\",\"auditor\"]",
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

    @Test
    void a_lifetime_over_twelve_hours_or_not_positive_is_refused_and_twelve_hours_is_signed() {
        Instant at = Instant.ofEpochSecond(1_800_000_000L);
        for (Duration ttl : List.of(Duration.ofHours(12).plusSeconds(1), Duration.ofDays(365), Duration.ZERO, Duration.ofHours(-1))) {
            assertThatThrownBy(() -> StaffTokens.sign(KEYS.getPrivate(), "x", List.of(Roles.OPS), at, ttl))
                    .as("ttl %s", ttl).hasMessageStartingWith("TOKEN_LIFETIME");
        }
        String token = StaffTokens.sign(KEYS.getPrivate(), "x", List.of(Roles.OPS), at, StaffTokens.MAX_LIFETIME);
        assertThat(payload(token)).contains("\"exp\":" + (1_800_000_000L + 12 * 3600));
    }

    @Test
    void another_audience_is_written_as_given_and_one_that_could_break_the_json_is_refused() {
        String token = StaffTokens.sign(KEYS.getPrivate(), "x", List.of(), Instant.now(), Duration.ofHours(1), "ehr-stream-staging");
        assertThat(payload(token)).contains("\"aud\":\"ehr-stream-staging\"");
        assertThatThrownBy(() -> StaffTokens.sign(KEYS.getPrivate(), "x", List.of(), Instant.now(), Duration.ofHours(1),
                "a\",\"iss\":\"b")).hasMessageContaining("audience must be");
    }

    private static String payload(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    }
}
