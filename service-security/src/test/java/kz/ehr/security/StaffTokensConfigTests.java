package kz.ehr.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** The checks the services make (this module's config defaults) and what StaffTokens signs must not drift apart. */
class StaffTokensConfigTests {
    @Test
    void the_services_check_the_audience_lifetime_and_algorithm_that_staff_tokens_are_signed_with() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/microprofile-config.properties")) {
            assertThat(in).as("service-security's config defaults").isNotNull();
            p.load(in);
        }
        assertThat(p.getProperty("mp.jwt.verify.audiences"))
                .isEqualTo("${" + StaffTokens.AUDIENCE_ENV + ":" + StaffTokens.AUDIENCE + "}");
        assertThat(Long.parseLong(p.getProperty("smallrye.jwt.time-to-live"))).isEqualTo(StaffTokens.MAX_LIFETIME.toSeconds());
        assertThat(p.getProperty("mp.jwt.verify.publickey.algorithm")).isEqualTo("RS256");
        assertThat(Integer.parseInt(p.getProperty("mp.jwt.verify.clock.skew"))).isBetween(1, 300);
    }
}
