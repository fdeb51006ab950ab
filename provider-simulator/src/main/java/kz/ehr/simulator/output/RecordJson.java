package kz.ehr.simulator.output;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import kz.ehr.simulator.corruption.SourcePatient;

/**
 * Renders a provider record as the one-line JSON of API.md. Written directly rather than through a Jackson tree
 * (rendering is most of the generator's time), with the patient block of the last few views cached, since every
 * record a provider sends about a person repeats it.
 */
public final class RecordJson {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
    private static final int CACHED_PATIENTS = 8;
    private static final ThreadLocal<Object[]> PATIENT_CACHE = ThreadLocal.withInitial(() -> new Object[CACHED_PATIENTS * 2]);

    private RecordJson() {
    }

    public static String render(SourceRecord r) {
        StringBuilder b = new StringBuilder(640);
        b.append("{\"recordId\":");
        string(b, r.recordId());
        b.append(",\"type\":\"").append(r.type().name()).append("\",\"occurredAt\":\"").append(iso(r.occurredAt()))
                .append("\",\"patient\":").append(patient(r.patient()));
        if (r.type().blockName() != null) {
            b.append(",\"").append(r.type().blockName()).append("\":");
            block(b, r.block());
        }
        return b.append('}').toString();
    }

    /** ISO-8601 with offset and always with seconds (java.time drops ":00" seconds, which some parsers reject). */
    public static String iso(OffsetDateTime t) {
        return ISO.format(t);
    }

    static String patient(SourcePatient p) {
        Object[] cache = PATIENT_CACHE.get();
        for (int i = 0; i < cache.length; i += 2) {
            if (cache[i] == p) {
                return (String) cache[i + 1];
            }
        }
        StringBuilder b = new StringBuilder(300);
        b.append("{\"localId\":");
        string(b, p.localId());
        field(b, "iin", p.iin());
        field(b, "lastName", p.lastName());
        field(b, "firstName", p.firstName());
        field(b, "middleName", p.middleName());
        field(b, "birthDate", p.birthDate());
        field(b, "sex", p.sex());
        field(b, "phone", p.phone());
        field(b, "address", p.address());
        String json = b.append('}').toString();
        System.arraycopy(cache, 0, cache, 2, cache.length - 2);
        cache[0] = p;
        cache[1] = json;
        return json;
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append(",\"").append(name).append("\":");
            string(b, value);
        }
    }

    private static void block(StringBuilder b, Map<String, Object> block) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : block.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v == null) {
                b.append("null");
            } else if (v instanceof Boolean || v instanceof Integer) {
                b.append(v);
            } else if (v instanceof OffsetDateTime t) {
                b.append('"').append(iso(t)).append('"');
            } else if (v instanceof List<?> list) {
                b.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    string(b, String.valueOf(list.get(i)));
                }
                b.append(']');
            } else {
                string(b, v.toString());
            }
        }
        b.append('}');
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        ESCAPE.quoteAsString(s, b);
        b.append('"');
    }
}
