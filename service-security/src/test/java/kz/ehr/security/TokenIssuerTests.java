package kz.ehr.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenIssuerTests {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);

    @TempDir
    static Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void keygen() throws Exception {
        assertThat(TokenIssuer.run(new String[] {"keygen", dir.toString()}, new PrintStream(new ByteArrayOutputStream()),
                System.err, Map.of(), CLOCK)).isZero();
    }

    private int issue(Map<String, String> env, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "issue";
        all[1] = dir.resolve("private.pem").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return TokenIssuer.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, CLOCK);
    }

    private String payload() {
        String token = out.toString(StandardCharsets.UTF_8).strip();
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    @Test
    void issue_signs_eight_hours_by_default_for_the_platform_audience() throws Exception {
        assertThat(issue(Map.of(), "aigerim", "ops,auditor")).isZero();
        assertThat(payload()).contains("\"aud\":\"ehr-stream\"", "\"iat\":1800000000", "\"exp\":" + (1_800_000_000L + 8 * 3600));
    }

    @Test
    void issue_signs_twelve_hours_but_refuses_thirteen_and_prints_no_token() throws Exception {
        assertThat(issue(Map.of(), "aigerim", "ops", "12")).isZero();
        assertThat(payload()).contains("\"exp\":" + (1_800_000_000L + 12 * 3600));
        out.reset();
        assertThat(issue(Map.of(), "aigerim", "ops", "13")).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("TOKEN_LIFETIME").contains("12 hours");
        err.reset();
        assertThat(issue(Map.of(), "aigerim", "ops", "a week")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("TOKEN_LIFETIME");
    }

    @Test
    void the_audience_named_in_the_environment_is_the_one_signed() throws Exception {
        assertThat(issue(Map.of(StaffTokens.AUDIENCE_ENV, "ehr-stream-staging"), "aigerim", "ops")).isZero();
        assertThat(payload()).contains("\"aud\":\"ehr-stream-staging\"");
    }
}
