package kz.ehr.ingestion.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import kz.ehr.ingestion.config.IngestionConfig;

class TypePermissionsTests {
    static final TypePermissions PERMISSIONS = new TypePermissions(Set.of("DEATH", "DISPENSARY"),
            Map.of("DEATH", List.of("civil-registry", " damumed "), "DISPENSARY", List.of("psy-*")));

    @ParameterizedTest(name = "{0} sends {1}: {2}")
    @CsvSource({
            "civil-registry, DEATH,      true",
            "damumed,        DEATH,      true",
            "kmis,           DEATH,      false",
            "civil-registry2,DEATH,      false",
            "psy-almaty,     DISPENSARY, true",
            "psy-,           DISPENSARY, true",
            "damumed,        DISPENSARY, false",
            "ps,             DISPENSARY, false",
            "kmis,           ENCOUNTER,  true",
            "kmis,           PATIENT,    true"})
    void onlyNamedProvidersSendRestrictedTypes(String provider, String type, boolean permitted) {
        assertThat(PERMISSIONS.permits(provider, type)).isEqualTo(permitted);
        assertThat(PERMISSIONS.check(provider, type).map(RecordError::code)).isEqualTo(
                permitted ? java.util.Optional.empty() : java.util.Optional.of("TYPE_NOT_PERMITTED"));
    }

    @Test
    void aRestrictedTypeWithoutSendersIsRefusedFromEveryone() {
        TypePermissions none = new TypePermissions(Set.of("DEATH"), Map.of());
        RecordError error = none.check("damumed", "DEATH").orElseThrow();
        assertThat(error.field()).isEqualTo("type");
        assertThat(error.message()).contains("damumed", "DEATH", "ehr.ingestion.permitted-senders.DEATH");
    }

    @Test
    void misconfigurationIsRefused() {
        assertThatThrownBy(() -> new TypePermissions(Set.of("BIRTH"), Map.of())).hasMessageContaining("BIRTH");
        assertThatThrownBy(() -> new TypePermissions(Set.of("DEATH"), Map.of("DEATH", List.of("*")))).hasMessageContaining("lone *");
        assertThatThrownBy(() -> new TypePermissions(Set.of("DEATH"), Map.of("ENCOUNTER", List.of("kmis"))))
                .hasMessageContaining("not a restricted type");
    }

    @Test
    void anUnsetSenderListInTheConfigurationPermitsNobody() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(IngestionConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of(
                        "ehr.ingestion.permitted-senders.DEATH", "${EHR_TEST_UNSET_SENDERS:}",
                        "ehr.ingestion.permitted-senders.DISPENSARY", "psy-1,psy-2"), "test", 100))
                .build();
        IngestionConfig c = config.getConfigMapping(IngestionConfig.class);
        TypePermissions p = new TypePermissions(c.restrictedTypes(), c.permittedSenders());
        assertThat(p.permits("damumed", "DEATH")).isFalse();
        assertThat(p.permits("psy-2", "DISPENSARY")).isTrue();
        assertThat(p.permits("damumed", "DISPENSARY")).isFalse();
    }

    @org.junit.jupiter.api.Test
    void theConfiguredDefaultNoneNamesNobody() {
        TypePermissions nobody = new TypePermissions(Set.of("DEATH"), java.util.Map.of("DEATH", java.util.List.of(TypePermissions.NOBODY)));

        org.assertj.core.api.Assertions.assertThat(nobody.permits("none", "DEATH")).isFalse();
        org.assertj.core.api.Assertions.assertThat(nobody.permits("damumed", "DEATH")).isFalse();
        org.assertj.core.api.Assertions.assertThat(nobody.permits("damumed", "ENCOUNTER")).isTrue();
    }
}
