package kz.ehr.certificates.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RevocationRulesTests {
    @ParameterizedTest(name = "{0} registration revokes {1}")
    @CsvSource({
            "PSYCHIATRIC,  F083 PSYCHIATRIC_CLEARANCE, REGISTERED_PSYCHIATRIC",
            "NARCOLOGICAL, F083 NARCOLOGICAL_CLEARANCE, REGISTERED_NARCOLOGICAL",
            "TB,           TB_CLEARANCE, REGISTERED_TB"})
    void aNewRegistrationRevokesTheTypesItBlocks(DispensaryRegister register, String types, String reason) {
        RevocationRules.Revocation r = RevocationRules.dispensary(register, true).orElseThrow();
        Set<CertificateType> expected = EnumSet.noneOf(CertificateType.class);
        for (String t : types.split(" ")) {
            expected.add(CertificateType.valueOf(t));
        }
        assertThat(r.types()).isEqualTo(expected);
        assertThat(r.reason()).isEqualTo(reason);
    }

    @Test
    void aDeregistrationRevokesNothing() {
        assertThat(RevocationRules.dispensary(DispensaryRegister.NARCOLOGICAL, false)).isEmpty();
    }

    @Test
    void deathAndIdentityChangesRevokeEveryType() {
        assertThat(RevocationRules.death().types()).containsExactlyInAnyOrder(CertificateType.values());
        assertThat(RevocationRules.death().reason()).isEqualTo("PATIENT_DECEASED");
        assertThat(RevocationRules.identityChanged().types()).containsExactlyInAnyOrder(CertificateType.values());
        assertThat(RevocationRules.identityChanged().reason()).isEqualTo("IDENTITY_CHANGED");
    }
}
