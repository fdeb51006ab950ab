package kz.ehr.ingestion.fhir;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import kz.ehr.ingestion.validation.RecordValidator;

/**
 * A provider record (API.md) built from a bundle entry, with the FHIRPath each of its fields came from, so that
 * the JSON path's validation errors ({@code encounter.polyclinicBin}) can be answered where the vendor put the
 * value ({@code Bundle.entry[3].resource.identifier[0].value}).
 */
final class MappedRecord {
    /** The request entry this record answers for. */
    final int entry;
    /** Its index in the batch handed to the intake: the entry's index, or past the bundle's end for a derived record. */
    final int index;
    final String type;
    final ObjectNode json = JsonNodeFactory.instance.objectNode();
    private final Map<String, String> sources = new HashMap<>();
    private final String base;

    MappedRecord(int entry, int index, String type, String recordId, String idPath) {
        this.entry = entry;
        this.index = index;
        this.type = type;
        this.base = "Bundle.entry[" + entry + "].resource";
        json.put("recordId", recordId);
        json.put("type", type);
        source("recordId", idPath);
        source("type", base);
    }

    /** The type block ({@code encounter}, {@code death}, …). */
    ObjectNode block() {
        String name = RecordValidator.blockName(type);
        return json.has(name) ? (ObjectNode) json.get(name) : json.putObject(name);
    }

    /** Sets a block field (when there is a value) and remembers where it comes from, or where it should have. */
    void put(String field, String value, String expression) {
        if (value != null) {
            block().put(field, value);
        }
        source(RecordValidator.blockName(type) + "." + field, expression);
    }

    void source(String field, String expression) {
        sources.put(field, expression);
    }

    /** The FHIRPath for a field the validator named: the field's own, else its nearest parent's, else the entry's. */
    String expression(String field) {
        String f = field;
        while (f != null && !f.isEmpty()) {
            String found = sources.get(f);
            if (found != null) {
                return found;
            }
            int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
            f = cut > 0 ? f.substring(0, cut) : null;
        }
        return base;
    }
}
