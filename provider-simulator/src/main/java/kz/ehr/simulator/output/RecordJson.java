package kz.ehr.simulator.output;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import kz.ehr.simulator.corruption.SourcePatient;

/** Renders a provider record as the one-line JSON of API.md. */
public final class RecordJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private RecordJson() {
    }

    public static String render(SourceRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("recordId", r.recordId());
        o.put("type", r.type().name());
        o.put("occurredAt", iso(r.occurredAt()));
        o.set("patient", patient(r.patient()));
        if (r.type().blockName() != null) {
            o.set(r.type().blockName(), block(r.block()));
        }
        return o.toString();
    }

    /** ISO-8601 with offset and always with seconds (java.time drops ":00" seconds, which some parsers reject). */
    public static String iso(OffsetDateTime t) {
        return ISO.format(t);
    }

    static ObjectNode patient(SourcePatient p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("localId", p.localId());
        putIfPresent(o, "iin", p.iin());
        putIfPresent(o, "lastName", p.lastName());
        putIfPresent(o, "firstName", p.firstName());
        putIfPresent(o, "middleName", p.middleName());
        putIfPresent(o, "birthDate", p.birthDate());
        putIfPresent(o, "sex", p.sex());
        putIfPresent(o, "phone", p.phone());
        putIfPresent(o, "address", p.address());
        return o;
    }

    private static void putIfPresent(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    @SuppressWarnings("unchecked")
    static ObjectNode block(Map<String, Object> block) {
        ObjectNode o = JSON.createObjectNode();
        block.forEach((k, v) -> {
            if (v == null) {
                o.putNull(k);
            } else if (v instanceof Boolean b) {
                o.put(k, b);
            } else if (v instanceof Integer i) {
                o.put(k, i);
            } else if (v instanceof OffsetDateTime t) {
                o.put(k, iso(t));
            } else if (v instanceof List<?> list) {
                ArrayNode a = o.putArray(k);
                ((List<Object>) list).forEach(x -> a.add(String.valueOf(x)));
            } else {
                o.put(k, v.toString());
            }
        });
        return o;
    }
}
