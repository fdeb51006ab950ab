package kz.ehr.simulator.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * How far one input file is imported: the (decompressed) byte offset and line number up to which every batch was
 * acknowledged, the acknowledged ranges beyond it (batches answered out of order), and the counts of exactly those
 * records. Saved atomically after every acknowledgement, so a record is counted once: when its batch's answer is
 * recorded here; a batch sent again after a crash was never counted before. The fingerprint (size and a hash of the
 * first MiB of the raw file) refuses a resume into a file that changed, where the offsets would mean other lines.
 */
public final class Checkpoint {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int HEAD_BYTES = 1 << 20;

    /** A range of acknowledged lines beyond {@link #offset}: [start, end) in bytes, {@code lines} physical lines. */
    public record Range(long start, long end, long lines) {
    }

    public int version = 1;
    public String provider;
    public long size;
    public String head;
    public long offset;
    public long line;
    public List<Range> done = new ArrayList<>();
    public long records;
    public long accepted;
    public long duplicates;
    public long rejected;
    public Map<String, Long> rejectedByCode = new TreeMap<>();
    public long rejectedFileBytes;
    public long batches;
    public boolean complete;

    /** The saved checkpoint of {@code file}, or a new one; refuses one saved for another provider or another content. */
    static Checkpoint open(Path file, Path checkpointFile, String provider) throws IOException {
        long size = Files.size(file);
        String head = head(file);
        if (!Files.exists(checkpointFile)) {
            Checkpoint fresh = new Checkpoint();
            fresh.provider = provider;
            fresh.size = size;
            fresh.head = head;
            return fresh;
        }
        Checkpoint saved;
        try {
            saved = JSON.readValue(checkpointFile.toFile(), Checkpoint.class);
        } catch (IOException e) {
            throw new ImportException(checkpointFile + " is not a checkpoint this importer can read (" + e.getMessage()
                    + "); delete it to import " + file + " from the start");
        }
        if (!provider.equals(saved.provider)) {
            throw new ImportException(checkpointFile + " was written importing " + file + " as provider " + saved.provider
                    + ", not " + provider + "; delete it to import the file from the start as " + provider);
        }
        if (saved.size != size || !saved.head.equals(head)) {
            throw new ImportException(file + " changed since its checkpoint (size " + saved.size + " → " + size + " bytes"
                    + (saved.head.equals(head) ? "" : ", different first bytes") + "): the saved offset no longer points at the"
                    + " same line. Restore the file, or delete " + checkpointFile + " to import it from the start"
                    + " (ingestion answers what it already has as duplicates)");
        }
        return saved;
    }

    /** Folds an acknowledged batch in: its range, and its counts, exactly once. */
    void acknowledge(long start, long end, long lines, BatchAnswer answer) {
        done.add(new Range(start, end, lines));
        done.sort((a, b) -> Long.compare(a.start(), b.start()));
        while (!done.isEmpty() && done.get(0).start() == offset) {
            Range r = done.remove(0);
            offset = r.end();
            line += r.lines();
        }
        records += answer.records();
        accepted += answer.accepted();
        duplicates += answer.duplicates();
        rejected += answer.rejected().size();
        for (BatchAnswer.Rejection r : answer.rejected()) {
            r.errors().stream().map(BatchAnswer.Error::code).distinct().forEach(code -> rejectedByCode.merge(code, 1L, Long::sum));
        }
        batches++;
    }

    /** Written beside, then renamed over the old one: a crash leaves either the old or the new checkpoint, never half. */
    void save(Path checkpointFile) throws IOException {
        Path tmp = checkpointFile.resolveSibling(checkpointFile.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        try {
            Files.move(tmp, checkpointFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, checkpointFile, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(in.readNBytes(HEAD_BYTES));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
