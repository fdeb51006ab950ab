package kz.ehr.certificates.eligibility;

/** One reason a person cannot have a certificate now: a stable machine code and a sentence for people. */
public record Ineligibility(String code, String detail) {
}
