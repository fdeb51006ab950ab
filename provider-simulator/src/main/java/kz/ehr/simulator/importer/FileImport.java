package kz.ehr.simulator.importer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Imports one file: batches go out with up to {@code concurrency} in flight; each answer is folded into the checkpoint
 * (its rejected records appended to the rejected file first), which is then saved. After a crash only the batches that
 * were in flight are sent again. A batch holding a recordId that an earlier batch in flight also holds waits for it:
 * a record's versions reach ingestion in file order.
 */
final class FileImport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One file of one provider, with where its checkpoint and rejected records go. */
    record Input(Path file, String provider, String key, Path checkpoint, Path rejected) {
    }

    /** What the whole run shares: the client, the senders, the limits, the progress, the stop after K batches. */
    record Settings(IngestionClient client, ExecutorService senders, int concurrency, int batchRecords, int batchBytes,
                    long stopAfterBatches, ImportProgress progress) {
    }

    private final Input input;
    private final Settings settings;
    private final Checkpoint checkpoint;
    private final Semaphore slots;
    private final Set<String> inFlightIds = new HashSet<>();
    private final AtomicLong acknowledgedThisRun;
    private FileChannel rejectedOut;
    private volatile Throwable failure;

    FileImport(Input input, Settings settings, AtomicLong acknowledgedThisRun) throws IOException {
        this.input = input;
        this.settings = settings;
        this.checkpoint = Checkpoint.open(input.file(), input.checkpoint(), input.provider());
        this.slots = new Semaphore(settings.concurrency());
        this.acknowledgedThisRun = acknowledgedThisRun;
    }

    Checkpoint checkpoint() {
        return checkpoint;
    }

    /** Sends what the checkpoint does not hold yet; false when it stopped early (--stop-after). */
    boolean run() throws Exception {
        if (checkpoint.complete) {
            return true;
        }
        // what the rejected file held beyond the checkpoint came from answers that were never recorded: they come again
        if (Files.exists(input.rejected()) && Files.size(input.rejected()) > checkpoint.rejectedFileBytes) {
            try (FileChannel c = FileChannel.open(input.rejected(), StandardOpenOption.WRITE)) {
                c.truncate(checkpoint.rejectedFileBytes);
            }
        }
        settings.progress().startFile(input.file(), Files.size(input.file()), checkpoint.records);
        boolean stopped = false;
        try (LineBatches batches = new LineBatches(input.file(), checkpoint)) {
            LineBatches.Batch batch;
            while ((batch = batches.next(settings.batchRecords(), settings.batchBytes())) != null) {
                awaitOrder(batch);
                slots.acquire();
                if (failure != null || stopRequested()) {
                    slots.release();
                    stopped = true;
                    break;
                }
                send(batch);
                settings.progress().position(batches.rawPosition());
            }
            slots.acquire(settings.concurrency()); // every answer is in
            slots.release(settings.concurrency());
        } finally {
            if (rejectedOut != null) {
                rejectedOut.close();
            }
        }
        if (failure != null) {
            throw failure instanceof Exception e ? e : new IllegalStateException(failure);
        }
        if (stopped) {
            return false;
        }
        if (!checkpoint.done.isEmpty()) {
            throw new IllegalStateException("acknowledged ranges left beyond the end of " + input.file());
        }
        checkpoint.complete = true;
        checkpoint.save(input.checkpoint());
        return true;
    }

    private boolean stopRequested() {
        return settings.stopAfterBatches() > 0 && acknowledgedThisRun.get() >= settings.stopAfterBatches();
    }

    private void awaitOrder(LineBatches.Batch batch) throws InterruptedException {
        boolean clash;
        synchronized (inFlightIds) {
            clash = batch.recordIds().stream().anyMatch(id -> id != null && inFlightIds.contains(id));
        }
        if (clash) {
            slots.acquire(settings.concurrency());
            slots.release(settings.concurrency());
        }
    }

    private void send(LineBatches.Batch batch) {
        synchronized (inFlightIds) {
            batch.recordIds().forEach(id -> { if (id != null) inFlightIds.add(id); });
        }
        settings.senders().submit(() -> {
            try {
                BatchAnswer answer = settings.client().send(input.provider(), input.key(), batch.body(), batch.records());
                acknowledge(batch, answer);
            } catch (Throwable t) {
                failure = t;
            } finally {
                synchronized (inFlightIds) {
                    batch.recordIds().forEach(inFlightIds::remove);
                }
                slots.release();
            }
        });
    }

    private synchronized void acknowledge(LineBatches.Batch batch, BatchAnswer answer) throws IOException {
        if (!answer.rejected().isEmpty()) {
            writeRejected(batch, answer.rejected());
        }
        checkpoint.acknowledge(batch.start(), batch.end(), batch.lines(), answer);
        checkpoint.save(input.checkpoint());
        acknowledgedThisRun.incrementAndGet();
        settings.progress().acknowledged(answer.records());
    }

    /** One line per rejected record: its line number, recordId, errors and the record as it was sent. */
    private void writeRejected(LineBatches.Batch batch, List<BatchAnswer.Rejection> rejected) throws IOException {
        if (rejectedOut == null) {
            rejectedOut = FileChannel.open(input.rejected(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            rejectedOut.position(checkpoint.rejectedFileBytes);
        }
        String[] lines = new String(batch.body(), StandardCharsets.UTF_8).split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (BatchAnswer.Rejection r : rejected) {
            ObjectNode row = JSON.createObjectNode();
            boolean known = r.index() >= 0 && r.index() < batch.records();
            row.put("line", known ? batch.lineNumbers()[r.index()] : -1);
            row.put("recordId", r.recordId());
            row.set("errors", JSON.valueToTree(r.errors()));
            if (known) {
                String original = lines[r.index()];
                try {
                    row.set("record", JSON.readTree(original));
                } catch (IOException notJson) {
                    row.put("record", original);
                }
            }
            out.append(JSON.writeValueAsString(row)).append('\n');
        }
        rejectedOut.write(java.nio.ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8)));
        rejectedOut.force(false); // on disk before the checkpoint that counts these rejections
        checkpoint.rejectedFileBytes = rejectedOut.position();
    }
}
