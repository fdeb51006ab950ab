package kz.ehr.security.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class AuditQueryTests {
    @Test
    void blank_parameters_mean_any_and_the_limit_defaults_to_one_hundred() {
        AuditQuery q = AuditQuery.parse(" ", "", null, null, " ", null, null);
        assertThat(q).isEqualTo(new AuditQuery(null, null, null, null, null, null, 100));
    }

    @Test
    void values_are_trimmed_and_instants_parsed() {
        AuditQuery q = AuditQuery.parse(" dana ", "READ", "850315300018", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", 42L, 5);
        assertThat(q.who()).isEqualTo("dana");
        assertThat(q.from()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(q.before()).isEqualTo(42L);
        assertThat(q.limit()).isEqualTo(5);
    }

    @Test
    void a_bad_parameter_names_its_field() {
        assertThatThrownBy(() -> AuditQuery.parse(null, null, null, "yesterday", null, null, null))
                .isInstanceOfSatisfying(AuditQuery.InvalidParameter.class, e -> assertThat(e.field()).isEqualTo("from"))
                .hasMessageContaining("\"yesterday\"");
        assertThatThrownBy(() -> AuditQuery.parse(null, null, null, null, "2026-13-01", null, null))
                .isInstanceOfSatisfying(AuditQuery.InvalidParameter.class, e -> assertThat(e.field()).isEqualTo("to"));
        assertThatThrownBy(() -> AuditQuery.parse(null, null, null, null, null, null, 1001))
                .isInstanceOfSatisfying(AuditQuery.InvalidParameter.class, e -> assertThat(e.field()).isEqualTo("limit"));
        assertThatThrownBy(() -> AuditQuery.parse(null, null, null, null, null, 0L, null))
                .isInstanceOfSatisfying(AuditQuery.InvalidParameter.class, e -> assertThat(e.field()).isEqualTo("before"));
    }
}
