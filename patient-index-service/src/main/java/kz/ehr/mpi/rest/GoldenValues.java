package kz.ehr.mpi.rest;

import kz.ehr.identity.Iin;
import kz.ehr.mpi.MpiProblem;

/** A hand-set golden value must be a value the field can hold: the golden record feeds matching and downstream. */
final class GoldenValues {
    private GoldenValues() {
    }

    static String validated(String field, String value) {
        switch (field) {
            case "iin" -> {
                Iin.problem(value).ifPresent(p -> {
                    throw MpiProblem.badRequest(p.code(), "value", "a golden IIN must be a valid IIN: this one " + p.reason());
                });
            }
            case "birthDate" -> Params.date(value, "value");
            case "sex" -> {
                if (!value.equals("M") && !value.equals("F")) {
                    throw MpiProblem.badRequest("INVALID_SEX", "value", "sex is M or F");
                }
            }
            default -> {
                if (value.length() > 200) {
                    throw MpiProblem.badRequest("VALUE_TOO_LONG", "value", "at most 200 characters");
                }
            }
        }
        return value;
    }
}
