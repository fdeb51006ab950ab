package kz.ehr.ingestion.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchParserTests {
    final BatchParser parser = new BatchParser(32);

    @ParameterizedTest(name = "line {0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "{not json                     | MALFORMED_JSON",
            "{\"a\":1}{\"b\":2}            | MALFORMED_JSON",
            "{\"a\":1,\"a\":2}             | MALFORMED_JSON",
            "[1,2]                         | NOT_AN_OBJECT",
            "\"text\"                      | NOT_AN_OBJECT",
            "{\"a\":1}                     | <ok>",
    })
    void eachLineIsJudgedOnItsOwn(String line, String code) throws Exception {
        List<IncomingRecord> records = parser.ndjson(("{\"ok\":true}\n" + line + "\n{\"ok\":true}\n").getBytes(StandardCharsets.UTF_8), 10);
        assertThat(records).hasSize(3);
        assertThat(records.get(0).parseError()).isNull();
        assertThat(records.get(2).parseError()).isNull();
        IncomingRecord r = records.get(1);
        assertThat(r.index()).isEqualTo(1);
        assertThat(r.parseError() == null ? "<ok>" : r.parseError().code()).isEqualTo(code);
        assertThat(r.payload()).isEqualTo(line);
    }

    @Test
    void deepNestingIsRejectedForThatLine() throws Exception {
        String deep = "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}";
        List<IncomingRecord> records = parser.ndjson((deep + "\n{}\n").getBytes(StandardCharsets.UTF_8), 10);
        assertThat(records.get(0).parseError().code()).isEqualTo("TOO_DEEP");
        assertThat(records.get(1).parseError()).isNull();
    }

    @Test
    void invalidUtf8RejectsTheLineAndKeepsAReadablePayload() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write("{\"name\":\"".getBytes(StandardCharsets.UTF_8));
        body.write(new byte[] {(byte) 0xC3, (byte) 0x28});
        body.write("\"}\r\n\r\n{\"ok\":1}".getBytes(StandardCharsets.UTF_8));
        List<IncomingRecord> records = parser.ndjson(body.toByteArray(), 10);
        assertThat(records).hasSize(2);
        assertThat(records.get(0).parseError().code()).isEqualTo("INVALID_UTF8");
        assertThat(records.get(0).payload()).contains("\uFFFD");
        assertThat(records.get(1).json().get("ok").asInt()).isEqualTo(1);
    }

    @Test
    void tooManyLinesRejectTheBatch() {
        assertThatThrownBy(() -> parser.ndjson("{}\n{}\n{}\n".getBytes(StandardCharsets.UTF_8), 2))
                .isInstanceOf(BatchParser.TooManyRecordsException.class);
    }

    @Test
    void anArrayYieldsItsElementsWithTheirOwnText() throws Exception {
        List<IncomingRecord> records = parser.array("[{\"a\":1}, 5, {\"b\":[1]}]".getBytes(StandardCharsets.UTF_8), 10);
        assertThat(records).extracting(IncomingRecord::payload).containsExactly("{\"a\":1}", "5", "{\"b\":[1]}");
        assertThat(records.get(1).parseError().code()).isEqualTo("NOT_AN_OBJECT");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{\"a\":1}", "[{\"a\":1}", "[{\"a\":1}] x", "[{\"a\":}]"})
    void aBrokenArrayIsAMalformedBatch(String body) {
        assertThatThrownBy(() -> parser.array(body.getBytes(StandardCharsets.UTF_8), 10))
                .isInstanceOf(BatchParser.MalformedBatchException.class);
    }
}
