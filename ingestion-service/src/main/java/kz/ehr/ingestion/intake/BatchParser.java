package kz.ehr.ingestion.intake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import kz.ehr.ingestion.validation.RecordError;
import kz.ehr.ingestion.validation.Utf8;

/**
 * Splits a request body into records. NDJSON is judged line by line (a malformed line rejects only that
 * line); a JSON array must parse as a whole, because a broken array cannot be split reliably.
 * Plain Java over Jackson: no framework types.
 */
public final class BatchParser {
    private final ObjectMapper mapper;
    /** Reads one element at a time from inside an array, where more tokens legitimately follow. */
    private final ObjectReader elementReader;
    private final int maxNestingDepth;

    public BatchParser(int maxNestingDepth) {
        this.maxNestingDepth = maxNestingDepth;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        this.elementReader = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The body has more records than allowed; nothing of it is processed. */
    public static final class TooManyRecordsException extends Exception {
        public final int limit;

        TooManyRecordsException(int limit) {
            super("more than " + limit + " records");
            this.limit = limit;
        }
    }

    /** A JSON-array body that is not a well-formed array; nothing of it is processed. */
    public static final class MalformedBatchException extends Exception {
        MalformedBatchException(String message) {
            super(message);
        }
    }

    /** Non-empty lines, in order; index counts those lines from 0. */
    public List<IncomingRecord> ndjson(byte[] body, int maxRecords) throws TooManyRecordsException {
        List<IncomingRecord> out = new ArrayList<>(Math.min(maxRecords, 1 << 12));
        int start = 0;
        int n = body.length;
        while (start < n) {
            int end = start;
            while (end < n && body[end] != '\n') {
                end++;
            }
            int lineEnd = end > start && body[end - 1] == '\r' ? end - 1 : end;
            if (!isBlank(body, start, lineEnd)) {
                if (out.size() == maxRecords) {
                    throw new TooManyRecordsException(maxRecords);
                }
                out.add(line(out.size(), body, start, lineEnd));
            }
            start = end + 1;
        }
        return out;
    }

    private IncomingRecord line(int index, byte[] body, int from, int to) {
        String payload = new String(body, from, to - from, StandardCharsets.UTF_8);
        int bad = Utf8.firstInvalidByte(body, from, to);
        if (bad >= 0) {
            return new IncomingRecord(index, payload, null, new RecordError("INVALID_UTF8", null,
                    "line is not valid UTF-8 (first bad byte at column " + (bad - from + 1) + "); send UTF-8 text"));
        }
        try {
            JsonNode node = mapper.readTree(body, from, to - from);
            if (node == null || !node.isObject()) {
                return new IncomingRecord(index, payload, null,
                        new RecordError("NOT_AN_OBJECT", null, "each line must be one JSON object"));
            }
            return new IncomingRecord(index, payload, node, null);
        } catch (StreamConstraintsException e) {
            return new IncomingRecord(index, payload, null, new RecordError("TOO_DEEP", null,
                    "line nests deeper than " + maxNestingDepth + " levels; a record is at most a few levels deep"));
        } catch (JsonProcessingException e) {
            return new IncomingRecord(index, payload, null, new RecordError("MALFORMED_JSON", null,
                    "line is not a JSON object: " + e.getOriginalMessage() + location(e)));
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory cannot fail", e);
        }
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
    }

    /** The elements of a top-level array, each kept with its own text for the rejected topic. */
    public List<IncomingRecord> array(byte[] body, int maxRecords) throws TooManyRecordsException, MalformedBatchException {
        int bad = Utf8.firstInvalidByte(body, 0, body.length);
        if (bad >= 0) {
            throw new MalformedBatchException("the body is not valid UTF-8 (first bad byte at offset " + bad
                    + "); send UTF-8, or NDJSON so that only the bad line is rejected");
        }
        List<IncomingRecord> out = new ArrayList<>();
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new MalformedBatchException("a JSON body must be an array of records");
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == null) {
                    throw new MalformedBatchException("the array is not closed");
                }
                if (out.size() == maxRecords) {
                    throw new TooManyRecordsException(maxRecords);
                }
                JsonNode node = elementReader.readTree(p);
                int index = out.size();
                if (node == null || !node.isObject()) {
                    out.add(new IncomingRecord(index, String.valueOf(node), null,
                            new RecordError("NOT_AN_OBJECT", null, "each array element must be one JSON object")));
                } else {
                    out.add(new IncomingRecord(index, node.toString(), node, null));
                }
            }
            if (p.nextToken() != null) {
                throw new MalformedBatchException("unexpected content after the array");
            }
        } catch (StreamConstraintsException e) {
            throw new MalformedBatchException("the body nests deeper than " + maxNestingDepth + " levels");
        } catch (JsonProcessingException e) {
            throw new MalformedBatchException("the body is not a well-formed JSON array: " + e.getOriginalMessage()
                    + location(e) + "; send NDJSON so that only a bad line is rejected");
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory cannot fail", e);
        }
        return out;
    }

    /** A single record (a Kafka adapter's payload), judged like one NDJSON line. */
    public IncomingRecord single(int index, byte[] utf8) {
        return line(index, utf8, 0, utf8.length);
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }
}
