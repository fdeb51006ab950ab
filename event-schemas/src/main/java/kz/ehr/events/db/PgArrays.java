package kz.ehr.events.db;

import java.util.List;

/** PostgreSQL array values as the services bind them: one place for the quoting rule. */
public final class PgArrays {
    private PgArrays() {
    }

    /**
     * A PostgreSQL array literal of the strings, each quoted and escaped so any text reads back as it was, a null
     * element as NULL: a {@code text[]} value carried as one element of a {@code text[]} parameter (a column of arrays
     * in an {@code unnest(...)} batch statement, cast back with {@code ::text[]}).
     */
    public static String textArrayLiteral(List<String> values) {
        StringBuilder out = new StringBuilder("{");
        for (String v : values == null ? List.<String>of() : values) {
            if (out.length() > 1) {
                out.append(',');
            }
            if (v == null) {
                out.append("NULL");
            } else {
                out.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return out.append('}').toString();
    }
}
