package kz.ehr.events.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** PostgreSQL array values as the services bind them: one place for the quoting rule and the binary rule. */
public final class PgArrays {
    private PgArrays() {
    }

    /**
     * An array parameter of {@code type} over a column of values, typed so that the driver sends it as a binary array:
     * {@code text} as {@code String[]} (other values by their {@code toString()}, dates and instants as ISO text),
     * {@code int4} as {@code Integer[]}, {@code bool} as {@code Boolean[]}. An {@code Object[]} the driver writes as an
     * array literal, escaping every element, which the server then parses (JFR of a 400k pipeline run: half of the
     * patient index's record-locator append, docs/benchmarks/pipeline.md). Other types go as given.
     */
    public static Array of(Connection c, String type, Object[] values) throws SQLException {
        Object[] typed = switch (type) {
            case "text" -> {
                if (values instanceof String[]) {
                    yield values;
                }
                String[] text = new String[values.length];
                for (int i = 0; i < values.length; i++) {
                    text[i] = values[i] == null ? null : values[i].toString();
                }
                yield text;
            }
            case "int4" -> values instanceof Integer[] ? values : Arrays.copyOf(values, values.length, Integer[].class);
            case "bool" -> values instanceof Boolean[] ? values : Arrays.copyOf(values, values.length, Boolean[].class);
            default -> values;
        };
        return c.createArrayOf(type, typed);
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
