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
 */
public record EligibilityPolicy(Map<CertificateType, Period> validity, Map<CertificateType, Period> examWindow,
                                Period fluorographyWindow, int childMaxAgeYears, Set<String> abnormalFluorographyValues) {

    public Period validityOf(CertificateType type) {
        return validity.getOrDefault(type, Period.ofYears(1));
    }

    public Period examWindowOf(CertificateType type) {
        return examWindow.getOrDefault(type, Period.ofYears(1));
    }
}
