package kz.ehr.simulator.importer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The lines of an NDJSON file (gzip when it ends in {@code .gz}) cut into batches, each with the byte range and the
 * line numbers it covers, starting at a checkpoint and stepping over ranges already acknowledged. Offsets count the
 * decompressed bytes: a plain file is resumed by seeking, a gzip file by decompressing up to the offset.
 */
final class LineBatches implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();

    /** One batch: [start, end) in bytes, {@code lines} physical lines, the non-empty ones in {@code body}. */
    record Batch(long start, long end, long lines, byte[] body, long[] lineNumbers, List<String> recordIds) {
        int records() {
            return lineNumbers.length;
        }
    }

    private final InputStream in;
    private final Counting raw;
    private final Deque<Checkpoint.Range> skip;
    private long offset;
    private long line;
    private boolean eof;

    LineBatches(Path file, Checkpoint from) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        if (!gzip) {
            channel.position(from.offset);
        }
        raw = new Counting(Channels.newInputStream(channel), gzip ? 0 : from.offset);
        in = new BufferedInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16);
        if (gzip) {
            try {
                in.skipNBytes(from.offset);
            } catch (java.io.EOFException e) {
                throw new ImportException(file + " is shorter than its checkpoint's offset " + from.offset);
            }
        }
        offset = from.offset;
        line = from.line;
        skip = new ArrayDeque<>(from.done);
    }

    /** Raw (on-disk) bytes read so far: for the ETA of a compressed file. */
    long rawPosition() {
        return raw.count;
    }

    /** The next batch of at most {@code maxRecords} non-empty lines and about {@code maxBytes}, or null at the end. */
    Batch next(int maxRecords, int maxBytes) throws IOException {
        long start = offset;
        long firstLine = line;
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.min(maxBytes, 1 << 20));
        List<Long> numbers = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (numbers.size() < maxRecords && body.size() < maxBytes) {
            if (!skip.isEmpty() && skip.peek().start() == offset) {
                if (offset > start) {
                    break; // a batch never spans an acknowledged range
                }
                Checkpoint.Range r = skip.poll();
                in.skipNBytes(r.end() - r.start());
                offset = r.end();
                line += r.lines();
                start = offset;
                firstLine = line;
                continue;
            }
            byte[] bytes = readLine();
            if (bytes == null) {
                break;
            }
            offset += bytes.length;
            line++;
            if (!blank(bytes)) {
                body.write(bytes);
                if (bytes[bytes.length - 1] != '\n') {
                    body.write('\n');
                }
                numbers.add(line);
                ids.add(recordId(bytes));
            }
        }
        if (offset == start) {
            return null;
        }
        return new Batch(start, offset, line - firstLine, body.toByteArray(), numbers.stream().mapToLong(Long::longValue).toArray(), ids);
    }

    private byte[] readLine() throws IOException {
        if (eof) {
            return null;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(512);
        int c;
        while ((c = in.read()) != -1) {
            b.write(c);
            if (c == '\n') {
                return b.toByteArray();
            }
        }
        eof = true;
        return b.size() == 0 ? null : b.toByteArray();
    }

    private static boolean blank(byte[] bytes) {
        for (byte x : bytes) {
            if (x != ' ' && x != '\t' && x != '\r' && x != '\n') {
                return false;
            }
        }
        return true;
    }

    /** The top-level recordId, or null for a line that is no JSON object (ingestion rejects it; no ordering to keep). */
    static String recordId(byte[] line) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("recordId")) {
                    return value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException malformed) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Counts the raw bytes read from disk. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in, long start) {
            super(in);
            this.count = start;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                count++;
            }
            return c;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += Math.max(0, skipped);
            return skipped;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
