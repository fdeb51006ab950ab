package kz.ehr.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerificationKeyCheckTests {
    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void no_key_configured_stops_the_service_with_a_sentence_saying_what_to_set() {
        assertThat(VerificationKeyCheck.problem(null, loader)).hasValueSatisfying(m -> assertThat(m)
                .startsWith("STAFF_KEY_MISSING").contains("EHR_AUTH_PUBLIC_KEY"));
        assertThat(VerificationKeyCheck.problem("  ", loader)).isPresent();
    }

    @Test
    void a_file_that_is_not_there_stops_the_service_and_one_that_is_passes(@TempDir Path dir) throws Exception {
        assertThat(VerificationKeyCheck.problem(dir.resolve("nope.pem").toString(), loader))
                .hasValueSatisfying(m -> assertThat(m).contains("nope.pem"));
        Path key = Files.writeString(dir.resolve("public.pem"), "-----BEGIN PUBLIC KEY-----\n");
        assertThat(VerificationKeyCheck.problem(key.toString(), loader)).isEmpty();
        assertThat(VerificationKeyCheck.problem("file:" + key, loader)).isEmpty();
    }

    @Test
    void classpath_resources_and_identity_provider_urls_are_accepted() {
        assertThat(VerificationKeyCheck.problem("kz/ehr/security/Roles.class", loader)).isEmpty();
        assertThat(VerificationKeyCheck.problem("classpath:kz/ehr/security/Roles.class", loader)).isEmpty();
        assertThat(VerificationKeyCheck.problem("classpath:missing.pem", loader)).isPresent();
        assertThat(VerificationKeyCheck.problem("https://idp.example/realms/ehr/protocol/openid-connect/certs", loader)).isEmpty();
    }
}
