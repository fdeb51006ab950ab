package kz.ehr.certificates.revocation;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Why a person revoked a certificate by hand (the closed list {@code POST /api/v1/certificates/{number}/revocation}
 * accepts). Stored as the certificate's revocation reason like the event-driven ones, and like them shown to staff only.
 */
public enum ManualRevocationReason {
    ISSUED_IN_ERROR("issued by mistake (wrong type, wrong data entered)"),
    WRONG_PERSON("issued to someone other than the person it names"),
    EVIDENCE_WITHDRAWN("the exam or result it rests on was withdrawn or corrected by the facility"),
    DOCUMENT_COMPROMISED("the document or its token was copied, altered or stolen"),
    HOLDER_REQUEST("the person asked for it to be revoked");

    public final String description;

    ManualRevocationReason(String description) {
        this.description = description;
    }

    public static Optional<ManualRevocationReason> parse(String code) {
        return Arrays.stream(values()).filter(r -> r.name().equals(code)).findFirst();
    }

    public static List<String> codes() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
