package kz.ehr.certificates.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.Period;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EligibilityRulesTests {
    static final LocalDate TODAY = LocalDate.of(2026, 11, 28);
    static final String ADULT = "850315300019";

    static EligibilityPolicy policy() {
        Map<CertificateType, Period> validity = new EnumMap<>(CertificateType.class);
        for (CertificateType t : CertificateType.values()) {
            validity.put(t, Period.ofYears(1));
        }
        validity.put(CertificateType.PSYCHIATRIC_CLEARANCE, Period.ofMonths(3));
        validity.put(CertificateType.F086, Period.ofMonths(6));
        Map<CertificateType, Period> exam = new EnumMap<>(CertificateType.class);
        exam.put(CertificateType.F075, Period.ofYears(1));
        exam.put(CertificateType.F083, Period.ofYears(1));
        exam.put(CertificateType.F086, Period.ofMonths(6));
        exam.put(CertificateType.F026, Period.ofYears(1));
        return new EligibilityPolicy(validity, exam, Period.ofYears(1), 18, Set.of("ABNORMAL", "PATHOLOGY"));
    }

    static final EligibilityRules RULES = new EligibilityRules(policy());

    /** An adult with demographics only; each row adds the facts it needs. */
    static PersonFacts adult(UnaryOperator<PersonFacts.Builder> facts) {
        return facts.apply(PersonFacts.builder(ADULT).counted().name("Ахметов", "Ерлан", "Серикович")
                .birth(LocalDate.of(1985, 3, 15), "M")).build();
    }

    static PersonFacts child(UnaryOperator<PersonFacts.Builder> facts) {
        return facts.apply(PersonFacts.builder("190101500019").counted().name("Ахметова", "Айгерим", null)
                .birth(LocalDate.of(2019, 1, 1), "F")).build();
    }

    static Arguments row(CertificateType type, PersonFacts person, List<String> expectedCodes) {
        return Arguments.of(type, person, expectedCodes);
    }

    static Stream<Arguments> rules() {
        LocalDate recent = TODAY.minusMonths(2);
        LocalDate old = TODAY.minusMonths(13);
        return Stream.of(
                // 083/у driver
                row(CertificateType.F083, adult(b -> b.exam("DRIVER", "FIT", recent, "D-1", "BIN1")), List.of()),
                row(CertificateType.F083, adult(b -> b.exam("DRIVER", "FIT_WITH_RESTRICTIONS", recent, "D-1", "BIN1")), List.of()),
                row(CertificateType.F083, adult(b -> b), List.of("EXAM_MISSING")),
                row(CertificateType.F083, adult(b -> b.exam("EMPLOYMENT", "FIT", recent, "D-1", "BIN1")), List.of("EXAM_MISSING")),
                row(CertificateType.F083, adult(b -> b.exam("DRIVER", "FIT", old, "D-1", "BIN1")), List.of("EXAM_EXPIRED")),
                row(CertificateType.F083, adult(b -> b.exam("DRIVER", "UNFIT", recent, "D-1", "BIN1")), List.of("EXAM_UNFIT")),
                row(CertificateType.F083, adult(b -> b.exam("DRIVER", "FIT", old, "D-1", "BIN1").exam("DRIVER", "UNFIT", recent, "D-1", "BIN1")),
                        List.of("EXAM_UNFIT")),
                row(CertificateType.F083, adult(b -> b.exam("DRIVER", "FIT", TODAY.plusDays(3), "D-1", "BIN1")), List.of("EXAM_MISSING")),
                row(CertificateType.F083, adult(b -> b.exam("DRIVER", "FIT", recent, "D-1", "BIN1")
                        .registration(DispensaryRegister.NARCOLOGICAL, true, old)), List.of("REGISTERED_NARCOLOGICAL")),
                row(CertificateType.F083, adult(b -> b.exam("DRIVER", "FIT", recent, "D-1", "BIN1")
                        .registration(DispensaryRegister.NARCOLOGICAL, true, old)
                        .registration(DispensaryRegister.NARCOLOGICAL, false, recent)), List.of()),
                row(CertificateType.F083, adult(b -> b.registration(DispensaryRegister.PSYCHIATRIC, true, old)
                        .registration(DispensaryRegister.NARCOLOGICAL, true, old).died(recent)),
                        List.of("PATIENT_DECEASED", "EXAM_MISSING", "REGISTERED_PSYCHIATRIC", "REGISTERED_NARCOLOGICAL")),
                row(CertificateType.F083, adult(b -> b.exam("DRIVER", "FIT", recent, "D-1", "BIN1")
                        .registration(DispensaryRegister.TB, true, old)), List.of()),
                // 075/у work or study
                row(CertificateType.F075, adult(b -> b.exam("EMPLOYMENT", "FIT", recent, "D", "B").observation("FLUOROGRAPHY", "NORMAL", recent)), List.of()),
                row(CertificateType.F075, adult(b -> b.exam("STUDY", "FIT", recent, "D", "B").observation("FLUOROGRAPHY", null, recent)), List.of()),
                row(CertificateType.F075, adult(b -> b.exam("EMPLOYMENT", "FIT", recent, "D", "B")), List.of("FLUOROGRAPHY_MISSING")),
                row(CertificateType.F075, adult(b -> b.exam("EMPLOYMENT", "FIT", recent, "D", "B").observation("FLUOROGRAPHY", "NORMAL", old)),
                        List.of("FLUOROGRAPHY_EXPIRED")),
                row(CertificateType.F075, adult(b -> b.exam("EMPLOYMENT", "FIT", recent, "D", "B").observation("FLUOROGRAPHY", "pathology", recent)),
                        List.of("FLUOROGRAPHY_ABNORMAL")),
                row(CertificateType.F075, adult(b -> b.exam("DRIVER", "FIT", recent, "D", "B")), List.of("EXAM_MISSING", "FLUOROGRAPHY_MISSING")),
                // 086/у applicant: a 6-month exam window
                row(CertificateType.F086, adult(b -> b.exam("STUDY", "FIT", TODAY.minusMonths(5), "D", "B").observation("FLUOROGRAPHY", "NORMAL", recent)), List.of()),
                row(CertificateType.F086, adult(b -> b.exam("STUDY", "FIT", TODAY.minusMonths(7), "D", "B").observation("FLUOROGRAPHY", "NORMAL", recent)),
                        List.of("EXAM_EXPIRED")),
                // 026/у child card
                row(CertificateType.F026, child(b -> b.exam("KINDERGARTEN", "FIT", recent, "D", "B")), List.of()),
                row(CertificateType.F026, child(b -> b.exam("SCHOOL", "FIT", recent, "D", "B")), List.of()),
                row(CertificateType.F026, adult(b -> b.exam("SCHOOL", "FIT", recent, "D", "B")), List.of("NOT_A_CHILD")),
                row(CertificateType.F026, child(b -> b), List.of("EXAM_MISSING")),
                row(CertificateType.F026, PersonFacts.builder("190101500019").counted().exam("SCHOOL", "FIT", recent, "D", "B").build(),
                        List.of("BIRTH_DATE_UNKNOWN")),
                // 063/у vaccination card
                row(CertificateType.F063, child(b -> b.immunization("MMR", 1, LocalDate.of(2020, 1, 10))), List.of()),
                row(CertificateType.F063, child(b -> b), List.of("IMMUNIZATIONS_MISSING")),
                // dispensary clearances
                row(CertificateType.PSYCHIATRIC_CLEARANCE, adult(b -> b), List.of()),
                row(CertificateType.PSYCHIATRIC_CLEARANCE, adult(b -> b.registration(DispensaryRegister.PSYCHIATRIC, true, old)),
                        List.of("REGISTERED_PSYCHIATRIC")),
                row(CertificateType.PSYCHIATRIC_CLEARANCE, adult(b -> b.registration(DispensaryRegister.PSYCHIATRIC, true, TODAY.plusDays(5))), List.of()),
                row(CertificateType.NARCOLOGICAL_CLEARANCE, adult(b -> b.registration(DispensaryRegister.PSYCHIATRIC, true, old)), List.of()),
                row(CertificateType.NARCOLOGICAL_CLEARANCE, adult(b -> b.registration(DispensaryRegister.NARCOLOGICAL, true, old)),
                        List.of("REGISTERED_NARCOLOGICAL")),
                row(CertificateType.TB_CLEARANCE, adult(b -> b.observation("FLUOROGRAPHY", "NORMAL", recent)), List.of()),
                row(CertificateType.TB_CLEARANCE, adult(b -> b.registration(DispensaryRegister.TB, true, old)),
                        List.of("REGISTERED_TB", "FLUOROGRAPHY_MISSING")),
                // 052-2/у health passport
                row(CertificateType.F052, child(b -> b), List.of()),
                row(CertificateType.F052, adult(b -> b), List.of("NOT_A_CHILD")),
                row(CertificateType.F052, child(b -> b.died(recent)), List.of("PATIENT_DECEASED")),
                // nobody
                row(CertificateType.PSYCHIATRIC_CLEARANCE, PersonFacts.builder(ADULT).build(), List.of("PERSON_UNKNOWN")));
    }

    @ParameterizedTest(name = "[{index}] {0}: {2}")
    @MethodSource("rules")
    void everyFailingRuleIsReportedWithItsCode(CertificateType type, PersonFacts person, List<String> expectedCodes) {
        Decision d = RULES.evaluate(type, person, TODAY);
        assertThat(d.codes()).containsExactlyElementsOf(expectedCodes);
        assertThat(d.eligible()).isEqualTo(expectedCodes.isEmpty());
        if (d.eligible()) {
            assertThat(d.expiresOn()).isAfter(TODAY);
        }
    }

    @Test
    void aCertificateExpiresWithItsEvidenceWhenTheEvidenceRunsOutFirst() {
        LocalDate examDate = TODAY.minusMonths(10);
        Decision d = RULES.evaluate(CertificateType.F083, adult(b -> b.exam("DRIVER", "FIT", examDate, "D-9", "BIN9")), TODAY);
        assertThat(d.expiresOn()).isEqualTo(examDate.plusYears(1));
        assertThat(d.conclusion()).isEqualTo("FIT");
        assertThat(d.doctorId()).isEqualTo("D-9");
        assertThat(d.facilityBin()).isEqualTo("BIN9");
    }

    @Test
    void aClearanceIsValidForItsConfiguredPeriod() {
        Decision d = RULES.evaluate(CertificateType.PSYCHIATRIC_CLEARANCE, adult(b -> b), TODAY);
        assertThat(d.expiresOn()).isEqualTo(TODAY.plusMonths(3));
        assertThat(d.content()).containsEntry("notRegistered", List.of("PSYCHIATRIC"));
    }

    @Test
    void aChildsDocumentEndsWhenTheChildComesOfAge() {
        PersonFacts almostAdult = PersonFacts.builder("081201500012").counted().birth(LocalDate.of(2008, 12, 20), "M").build();
        Decision d = RULES.evaluate(CertificateType.F052, almostAdult, TODAY);
        assertThat(d.expiresOn()).isEqualTo(LocalDate.of(2026, 12, 20));
    }

    @Test
    void theHealthPassportSummarisesTheChildsRecord() {
        PersonFacts kid = child(b -> b.attachment("POLY1", LocalDate.of(2019, 1, 5), null)
                .observation("BLOOD_GROUP", "A(II) Rh+", LocalDate.of(2019, 2, 1))
                .observation("ALLERGY", "penicillin", LocalDate.of(2021, 2, 1))
                .encounter(LocalDate.of(2024, 5, 1), "VISIT", List.of("J06.9"))
                .encounter(LocalDate.of(2025, 5, 1), "SCREENING", List.of())
                .hospitalization("HOSP1", LocalDate.of(2023, 3, 1), LocalDate.of(2023, 3, 5))
                .immunization("BCG", 1, LocalDate.of(2019, 1, 3)));
        Decision d = RULES.evaluate(CertificateType.F052, kid, TODAY);
        assertThat(d.content()).containsEntry("polyclinic", "POLY1").containsEntry("bloodGroup", "A(II) Rh+")
                .containsEntry("allergies", List.of("penicillin")).containsEntry("diseases", List.of("J06.9"))
                .containsEntry("hospitalizations", List.of("2023-03-01/2023-03-05"))
                .containsEntry("checkups", List.of("2025-05-01")).containsEntry("immunizations", List.of("2019-01-03 BCG #1"));
    }

    @Test
    void requiredEvidenceIsConfiguration() {
        EligibilityPolicy p = policy();
        EligibilityPolicy employmentOnlyNoFluorography = new EligibilityPolicy(p.validity(), p.examWindow(), p.fluorographyWindow(),
                p.childMaxAgeYears(), p.abnormalFluorographyValues(), Map.of(CertificateType.F075, Set.of("EMPLOYMENT")), Set.of());
        EligibilityRules rules = new EligibilityRules(employmentOnlyNoFluorography);
        LocalDate recent = TODAY.minusMonths(1);
        assertThat(rules.evaluate(CertificateType.F075, adult(b -> b.exam("STUDY", "FIT", recent, "D", "B")), TODAY).codes())
                .containsExactly("EXAM_MISSING");
        assertThat(rules.evaluate(CertificateType.F075, adult(b -> b.exam("EMPLOYMENT", "FIT", recent, "D", "B")), TODAY).codes())
                .isEmpty();
        assertThat(rules.evaluate(CertificateType.TB_CLEARANCE, adult(b -> b), TODAY).codes()).isEmpty();
    }
}
