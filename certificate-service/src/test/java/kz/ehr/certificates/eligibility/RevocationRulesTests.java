package kz.ehr.certificates.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

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

    static final LocalDate D = LocalDate.of(2026, 11, 28);

    static List<String> overruled(UnaryOperator<PersonFacts.Builder> facts) {
        return overruled(EligibilityRulesTests.policy(), facts);
    }

    static List<String> overruled(EligibilityPolicy policy, UnaryOperator<PersonFacts.Builder> facts) {
        return RevocationRules.overruledEvidence(EligibilityRulesTests.adult(facts), policy).stream()
                .map(r -> r.reason() + " " + String.join(" ", RevocationRules.typeNames(r))).toList();
    }

    @Test
    void aLaterUnfitExamRevokesTheTypesThatRelyOnAnExamOfItsPurpose() {
        assertThat(overruled(b -> b.exam("DRIVER", "FIT", D.minusMonths(3), "D", "B").exam("DRIVER", "UNFIT", D, "D", "B")))
                .containsExactly("EXAM_UNFIT F083");
        // F075 takes EMPLOYMENT or STUDY, F086 only STUDY: the latest of each type's purposes decides, as for issuing
        assertThat(overruled(b -> b.exam("EMPLOYMENT", "FIT", D.minusMonths(3), "D", "B").exam("STUDY", "UNFIT", D, "D", "B")))
                .containsExactly("EXAM_UNFIT F075 F086");
        assertThat(overruled(b -> b.exam("SCHOOL", "UNFIT", D, "D", "B"))).containsExactly("EXAM_UNFIT F026");
        // one the day after tomorrow counts too: a certificate must not outlive it
        assertThat(overruled(b -> b.exam("DRIVER", "FIT", D, "D", "B").exam("DRIVER", "UNFIT", D.plusDays(2), "D", "B")))
                .containsExactly("EXAM_UNFIT F083");
    }

    @Test
    void anUnfitExamThatIsNotTheLatestRevokesNothing() {
        // an older UNFIT arriving late, after the FIT a certificate was issued on
        assertThat(overruled(b -> b.exam("DRIVER", "FIT", D, "D", "B").exam("DRIVER", "UNFIT", D.minusMonths(2), "D", "B"))).isEmpty();
        // restrictions are not unfitness
        assertThat(overruled(b -> b.exam("DRIVER", "FIT", D.minusMonths(1), "D", "B").exam("DRIVER", "FIT_WITH_RESTRICTIONS", D, "D", "B")))
                .isEmpty();
        // the same day, the one that happened later decides: a FIT second opinion after the UNFIT
        assertThat(overruled(b -> b.exam("DRIVER", "UNFIT", D, "D", "B").exam("DRIVER", "FIT", D, "D", "B"))).isEmpty();
        assertThat(overruled(b -> b.exam("DRIVER", "FIT", D, "D", "B").exam("DRIVER", "UNFIT", D, "D", "B")))
                .containsExactly("EXAM_UNFIT F083");
        // an exam of a purpose no certificate relies on
        assertThat(overruled(b -> b.exam("PILOT", "UNFIT", D, "D", "B"))).isEmpty();
    }

    @Test
    void anAbnormalLatestFluorographyRevokesEveryTypeThatNeedsOne() {
        assertThat(overruled(b -> b.observation("FLUOROGRAPHY", "NORMAL", D.minusMonths(6)).observation("FLUOROGRAPHY", "pathology ", D)))
                .containsExactly("FLUOROGRAPHY_ABNORMAL F075 F086 TB_CLEARANCE");
        // a normal one after it, an older abnormal one, no value, another observation: nothing
        assertThat(overruled(b -> b.observation("FLUOROGRAPHY", "ABNORMAL", D.minusMonths(1)).observation("FLUOROGRAPHY", "NORMAL", D)))
                .isEmpty();
        assertThat(overruled(b -> b.observation("FLUOROGRAPHY", "NORMAL", D).observation("FLUOROGRAPHY", "ABNORMAL", D.minusYears(2))))
                .isEmpty();
        assertThat(overruled(b -> b.observation("FLUOROGRAPHY", null, D))).isEmpty();
        assertThat(overruled(b -> b.observation("BLOOD_GROUP", "ABNORMAL", D))).isEmpty();
    }

    @Test
    void whichTypesAnOverrulingResultRevokesFollowsTheConfiguredEvidence() {
        EligibilityPolicy p = EligibilityRulesTests.policy();
        EligibilityPolicy employmentOnlyTbNeedsNoFluorography = new EligibilityPolicy(p.validity(), p.examWindow(), p.fluorographyWindow(),
                p.childMaxAgeYears(), p.abnormalFluorographyValues(), Map.of(CertificateType.F075, Set.of("EMPLOYMENT")),
                Set.of(CertificateType.F075));
        assertThat(overruled(employmentOnlyTbNeedsNoFluorography, b -> b.exam("STUDY", "UNFIT", D, "D", "B")
                .observation("FLUOROGRAPHY", "ABNORMAL", D))).containsExactly("EXAM_UNFIT F086", "FLUOROGRAPHY_ABNORMAL F075");
    }
}
