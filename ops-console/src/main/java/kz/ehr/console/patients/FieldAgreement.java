package kz.ehr.console.patients;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two golden records of a review pair, field by field, as a reviewer compares them by eye: same, differs, or
 * missing on one side. Plain display: the patient index's matcher (with its Jaro-Winkler levels and name forms) gave
 * the score; this only lines the values up and marks which are written the same (case, accents and spacing aside).
 */
public final class FieldAgreement {
    public static final List<String> FIELDS = List.of("iin", "lastName", "firstName", "middleName", "birthDate", "sex", "phone", "address");

    public enum Verdict { SAME, DIFFERS, MISSING }

    public record Row(String field, String left, String right, Verdict verdict) {
    }

    private FieldAgreement() {
    }

    public static List<Row> compare(Map<String, Object> left, Map<String, Object> right) {
        List<Row> rows = new ArrayList<>();
        for (String f : FIELDS) {
            String a = text(left == null ? null : left.get(f));
            String b = text(right == null ? null : right.get(f));
            Verdict v = a.isEmpty() || b.isEmpty() ? Verdict.MISSING : norm(a).equals(norm(b)) ? Verdict.SAME : Verdict.DIFFERS;
            rows.add(new Row(f, a, b, v));
        }
        return rows;
    }

    static String text(Object o) {
        return o == null ? "" : o.toString().strip();
    }

    static String norm(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFC).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }
}
