package kz.ehr.ingestion.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

class RecordVersionsTests {

    static byte[] h(String content) {
        return content.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * known: "recordId=content@version;…"; batch: "recordId=content,…"; expected: "OUTCOME@version,…".
     */
    @ParameterizedTest(name = "known [{0}], batch [{1}] → {2}")
    @CsvSource(delimiter = '|', value = {
            "               | a=x                 | NEW@1",
            "a=x@1          | a=x                 | DUPLICATE@1",
            "a=x@1          | a=y                 | UPDATE@2",
            "a=x@3          | a=y,a=y             | UPDATE@4,DUPLICATE@4",
            "               | a=x,a=x,a=y,a=x     | NEW@1,DUPLICATE@1,UPDATE@2,UPDATE@3",
            "a=x@1;b=z@7    | b=z,a=x,c=q         | DUPLICATE@7,DUPLICATE@1,NEW@1",
    })
    void decidesInBatchOrder(String known, String batch, String expected) {
        Map<String, RecordVersions.Known> k = new HashMap<>();
        if (known != null) {
            for (String entry : known.split(";")) {
                String[] idRest = entry.split("=");
                String[] contentVersion = idRest[1].split("@");
                k.put(idRest[0], new RecordVersions.Known(h(contentVersion[0]), Integer.parseInt(contentVersion[1])));
            }
        }
        List<RecordVersions.Candidate> candidates = new ArrayList<>();
        for (String entry : batch.split(",")) {
            String[] idContent = entry.split("=");
            candidates.add(new RecordVersions.Candidate(idContent[0], h(idContent[1])));
        }
        List<String> actual = RecordVersions.decide("p", candidates, k).stream()
                .map(d -> d.outcome() + "@" + d.version()).toList();
        assertThat(String.join(",", actual)).isEqualTo(expected);
    }

    @Test
    void eventIdsAreStableAcrossRetriesAndDistinctPerVersion() {
        String v1 = RecordVersions.eventId("p", "a", 1, h("x"));
        assertThat(RecordVersions.eventId("p", "a", 1, h("x"))).isEqualTo(v1);
        assertThat(RecordVersions.eventId("p", "a", 3, h("x"))).isNotEqualTo(v1);
        assertThat(RecordVersions.eventId("q", "a", 1, h("x"))).isNotEqualTo(v1);
    }

    @ParameterizedTest(name = "{0} and {1} same content: {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1,\"b\":{\"c\":\"x\",\"d\":[1,2]}} | {\"b\":{\"d\":[1,2],\"c\":\"x\"},\"a\":1}   | true",
            "{\"a\":1}                                 | { \"a\" : 1 }                            | true",
            "{\"a\":[1,2]}                             | {\"a\":[2,1]}                            | false",
            "{\"a\":\"x\"}                             | {\"a\":\"X\"}                            | false",
            "{\"a\":\"1\"}                             | {\"a\":1}                                | false",
    })
    void contentHashIgnoresKeyOrderAndWhitespaceOnly(String a, String b, boolean same) throws Exception {
        ObjectMapper m = new ObjectMapper();
        assertThat(java.util.Arrays.equals(ContentHash.of(m.readTree(a)), ContentHash.of(m.readTree(b)))).isEqualTo(same);
    }
}
