package kz.ehr.certificates.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import kz.ehr.certificates.eligibility.Ineligibility;

/** RFC 9457 problem details with a stable machine code; {@code reasons} lists every ineligibility. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String field,
                      List<Ineligibility> reasons) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String code, String title, String detail, String field) {
        return new Problem("https://ehr.kz/problems/" + code.toLowerCase().replace('_', '-'), title, status, detail, code, field, null);
    }
}
