package kz.ehr.certificates.issuance;

import java.util.List;

import kz.ehr.certificates.eligibility.Ineligibility;

/** Why a certificate request cannot be served: a bad request, a person not eligible, or no such certificate. */
public class IssuanceException extends RuntimeException {
    public enum Kind { INVALID_REQUEST, NOT_ELIGIBLE, NOT_FOUND }

    public final Kind kind;
    public final String code;
    public final String field;
    public final List<Ineligibility> reasons;

    public IssuanceException(Kind kind, String code, String field, String detail, List<Ineligibility> reasons) {
        super(detail);
        this.kind = kind;
        this.code = code;
        this.field = field;
        this.reasons = reasons;
    }
}
