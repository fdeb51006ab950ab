package kz.ehr.certificates.eligibility;

import java.time.Period;
import java.util.Map;
import java.util.Set;

/**
 * The configurable periods of the rules.
 *
 * @param validity           how long a certificate of each type is valid from issue (capped by its evidence)
 * @param examWindow         how long an exam conclusion counts as evidence, for types that need one
 * @param fluorographyWindow how long a fluorography counts as evidence
 * @param childMaxAgeYears   a person is a child below this age (026/у, 052-2/у)
 * @param abnormalFluorographyValues observation values that mean the fluorography found something
 * @param examPurposes       exam purposes that count as evidence per type; a type not in the map uses its form's
 * @param fluorographyRequired types that need a recent normal fluorography; null = the forms' defaults
 */
public record EligibilityPolicy(Map<CertificateType, Period> validity, Map<CertificateType, Period> examWindow,
                                Period fluorographyWindow, int childMaxAgeYears, Set<String> abnormalFluorographyValues,
                                Map<CertificateType, Set<String>> examPurposes, Set<CertificateType> fluorographyRequired) {

    /** The forms' own evidence (exam purposes, fluorography) with the given periods. */
    public EligibilityPolicy(Map<CertificateType, Period> validity, Map<CertificateType, Period> examWindow,
                             Period fluorographyWindow, int childMaxAgeYears, Set<String> abnormalFluorographyValues) {
        this(validity, examWindow, fluorographyWindow, childMaxAgeYears, abnormalFluorographyValues, Map.of(), null);
    }

    public Set<String> examPurposesOf(CertificateType type) {
        return examPurposes.getOrDefault(type, type.examPurposes);
    }

    public boolean needsFluorography(CertificateType type) {
        return fluorographyRequired == null ? type.needsFluorography : fluorographyRequired.contains(type);
    }

    /** Whether a fluorography's value says it found something (a missing value reads as normal). */
    public boolean abnormal(PersonFacts.Observation fluorography) {
        return fluorography.value() != null && abnormalFluorographyValues.contains(fluorography.value().trim().toUpperCase());
    }

    public Period validityOf(CertificateType type) {
        return validity.getOrDefault(type, Period.ofYears(1));
    }

    public Period examWindowOf(CertificateType type) {
        return examWindow.getOrDefault(type, Period.ofYears(1));
    }
}
