package kz.ehr.mpi.rest;

import kz.ehr.mpi.MpiProblem;
import kz.ehr.mpi.matching.Iin;

/** A hand-set golden value must be a value the field can hold: the golden record feeds matching and downstream. */
final class GoldenValues {
    private GoldenValues() {
    }

    static String validated(String field, String value) {
        switch (field) {
            case "iin" -> {
                if (!Iin.isValid(value)) {
                    throw MpiProblem.badRequest("IIN_CHECKSUM", "value", "a golden IIN must be 12 digits with a valid check digit");
                }
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
