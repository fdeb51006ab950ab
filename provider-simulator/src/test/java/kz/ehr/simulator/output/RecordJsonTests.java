package kz.ehr.simulator.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.simulator.corruption.SourcePatient;
import kz.ehr.simulator.population.RecordType;

class RecordJsonTests {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void renders_the_api_record_with_escaping_nulls_lists_and_instants_with_seconds() throws Exception {
        SourcePatient p = new SourcePatient("kmis", "KM0000000042", "P000000042", null, "Ахметова \"Ә\"\\", "Айгүл", null,
                "1985-03-15", "F", "+77011234567", "г. Алматы,\nул. Абая", Set.of());
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("encounterId", "E-1");
        block.put("start", OffsetDateTime.of(2025, 3, 1, 10, 15, 0, 0, ZoneOffset.ofHours(5)));
        block.put("kind", "VISIT");
        block.put("diagnoses", List.of("I10", "E11.9"));
        block.put("referral", false);
        block.put("to", null);
        block.put("dose", 2);
        String line = RecordJson.render(new SourceRecord("kmis", "km-1", RecordType.ENCOUNTER,
                OffsetDateTime.of(2025, 3, 1, 10, 15, 0, 0, ZoneOffset.ofHours(5)), p, block, null));

        assertThat(line).doesNotContain("\n");
        JsonNode r = JSON.readTree(line);
        assertThat(r.get("recordId").asText()).isEqualTo("km-1");
        assertThat(r.get("occurredAt").asText()).isEqualTo("2025-03-01T10:15:00+05:00");
        assertThat(r.at("/patient/lastName").asText()).isEqualTo("Ахметова \"Ә\"\\");
        assertThat(r.at("/patient/address").asText()).isEqualTo("г. Алматы,\nул. Абая");
        assertThat(r.at("/patient").has("iin")).isFalse();
        assertThat(r.at("/patient").has("middleName")).isFalse();
        assertThat(r.at("/encounter/start").asText()).isEqualTo("2025-03-01T10:15:00+05:00");
        assertThat(r.at("/encounter/diagnoses/1").asText()).isEqualTo("E11.9");
        assertThat(r.at("/encounter/referral").isBoolean()).isTrue();
        assertThat(r.at("/encounter/to").isNull()).isTrue();
        assertThat(r.at("/encounter/dose").asInt()).isEqualTo(2);
        // the cached patient block is the same text on the next record of that view
        String again = RecordJson.render(new SourceRecord("kmis", "km-2", RecordType.PATIENT,
                OffsetDateTime.of(2025, 3, 1, 10, 0, 0, 0, ZoneOffset.ofHours(5)), p, Map.of(), null));
        assertThat(JSON.readTree(again).get("patient")).isEqualTo(r.get("patient"));
        assertThat(JSON.readTree(again).has("patient")).isTrue();
        assertThat(again).doesNotContain("\"encounter\"");
    }
}
