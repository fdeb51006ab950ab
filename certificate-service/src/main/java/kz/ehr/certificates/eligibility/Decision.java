package kz.ehr.certificates.eligibility;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The outcome of the rules for one person and type: either every reason against, or what the
 * certificate will say (conclusion, who concluded it, until when, and the type-specific content).
 */
public record Decision(CertificateType type, List<Ineligibility> reasons, LocalDate expiresOn, String conclusion,
                       String facilityBin, String doctorId, Map<String, Object> content) {

    public boolean eligible() {
        return reasons.isEmpty();
    }

    public List<String> codes() {
        return reasons.stream().map(Ineligibility::code).toList();
    }
}
