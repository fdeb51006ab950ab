package kz.ehr.simulator.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import kz.ehr.simulator.output.RecordJson;
import kz.ehr.simulator.output.RecordSink;
import kz.ehr.simulator.output.Simulation;
import kz.ehr.simulator.output.SourceRecord;
import kz.ehr.simulator.population.RecordType;

/**
 * The pipeline benchmark's records, generated and rendered before its clock starts, so the generator's CPU is not
 * part of what is measured: exactly {@code records} provider records of the simulator's population and timelines
 * (every record type, every provider's error profile, the fraud mix) as NDJSON batches per provider, held in memory
 * when they fit in the memory budget and otherwise written to a temporary file and streamed back from it.
 * In memory, batches are packed back to back in slabs of {@link #SLAB_BYTES}: a batch of 1,000 records (≈ 0.6 MB)
 * in its own array would be a G1 humongous object taking a whole 1 MB region, nearly doubling the heap it needs.
 */
final class PreparedLoad implements AutoCloseable {
    static final int SLAB_BYTES = 32 << 20;

    /** One request body: {@code records} NDJSON lines of one provider, {@code length} bytes of {@code bytes} from {@code offset}. */
    record Batch(String provider, byte[] bytes, int offset, int length, int records) {
    }

    interface BatchHandler {
        void handle(Batch batch) throws Exception;
    }

    final long records;
    final long bytes;
    final long persons;
    final long seed;
    final Map<String, Long> byType;
    final Map<String, Long> byProvider;
    /** The records of the same world streamed before the clock, or null: see {@link #generate}. */
    final PreparedLoad warmUp;
    private final List<Batch> inMemory;
    private final Path spill;

    private PreparedLoad(Collector c, long persons, long seed, PreparedLoad warmUp) {
        this.records = c.records;
        this.bytes = c.bytes;
        this.persons = persons;
        this.seed = seed;
        Map<String, Long> types = new LinkedHashMap<>();
        c.byType.forEach((t, n) -> types.put(t.name(), n));
        this.byType = types;
        this.byProvider = new TreeMap<>(c.byProvider);
        this.inMemory = c.spill == null ? c.batches : null;
        this.spill = c.spill;
        this.warmUp = warmUp;
    }

    /**
     * Generates {@code warmUpRecords + records} records of one population (a pilot population gives records per
     * person; the real one is sized with a margin from it and cut at exactly that many; the persons left out are the
     * ones generated last). The first {@code warmUpRecords} become {@link #warmUp}, the rest this load: one world, so
     * the warm-up's doctors and polyclinics are the load's (a second seed would be a second world whose doctors share
     * national ids at other polyclinics, a fraud-flag storm in billing). A person whose records straddle the cut
     * continues in the load.
     */
    static PreparedLoad generate(List<String> providers, long records, long warmUpRecords, long seed, double errorScale, int batchSize,
                                 long memoryBudgetBytes) throws Exception {
        long total = records + Math.max(0, warmUpRecords);
        long pilotPersons = Math.max(200, Math.min(2_000, total / 10));
        Collector pilot = new Collector(Long.MAX_VALUE, batchSize, null);
        simulation(providers, pilotPersons, seed, errorScale).run(pilot);
        double perPerson = Math.max(1.0, (double) pilot.records / pilotPersons);
        double bytesPerRecord = (double) pilot.bytes / Math.max(1, pilot.records);
        long persons = (long) Math.ceil(total / perPerson * 1.08) + 50;
        Collector warm = warmUpRecords <= 0 ? null : new Collector(warmUpRecords, batchSize,
                bytesPerRecord * total > memoryBudgetBytes ? Files.createTempFile("ehr-pipeline-warm-up-", ".batches") : null);
        Path spill = bytesPerRecord * records > memoryBudgetBytes ? Files.createTempFile("ehr-pipeline-bench-", ".batches") : null;
        Collector c = new Collector(records, batchSize, spill);
        RecordSink split = warm == null ? c : new RecordSink() {
            @Override
            public void record(SourceRecord r) throws Exception {
                (warm.records < warmUpRecords ? warm : c).record(r);
            }
        };
        try {
            simulation(providers, persons, seed, errorScale).run(split);
        } catch (Enough stop) {
            // exactly `total` records generated
        }
        c.finish();
        PreparedLoad warmUp = null;
        if (warm != null) {
            warm.finish();
            warmUp = new PreparedLoad(warm, persons, seed, null);
        }
        return new PreparedLoad(c, persons, seed, warmUp);
    }

    private static Simulation simulation(List<String> providers, long persons, long seed, double errorScale) {
        Simulation.Settings d = Simulation.Settings.of(persons, providers, seed);
        return new Simulation(new Simulation.Settings(persons, d.providers(), seed, d.window(), errorScale, d.fraud()));
    }

    boolean spilled() {
        return spill != null;
    }

    /** Hands every batch to {@code handler} in generation order (from memory, or read back from the file). */
    void forEach(BatchHandler handler) throws Exception {
        if (inMemory != null) {
            for (Batch b : inMemory) {
                handler.handle(b);
            }
            return;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(spill), 1 << 20))) {
            while (true) {
                String provider;
                try {
                    provider = in.readUTF();
                } catch (EOFException end) {
                    return;
                }
                int count = in.readInt();
                byte[] body = new byte[in.readInt()];
                in.readFully(body);
                handler.handle(new Batch(provider, body, 0, body.length, count));
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (spill != null) {
            Files.deleteIfExists(spill);
        }
        if (warmUp != null) {
            warmUp.close();
        }
    }

    /** Thrown by the collector to stop the simulation once it has enough records. */
    private static final class Enough extends RuntimeException {
        Enough() {
            super(null, null, false, false);
        }
    }

    /** A batch being filled; its bytes are copied into a slab without a second copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] raw() {
            return buf;
        }
    }

    private static final class Collector implements RecordSink {
        private final long limit;
        private final int batchSize;
        private final Path spill;
        private final DataOutputStream out;
        private final Map<String, Buffer> buffers = new LinkedHashMap<>();
        private final Map<String, Integer> counts = new LinkedHashMap<>();
        final List<Batch> batches = new ArrayList<>();
        private byte[] slab = new byte[0];
        private int slabUsed;
        final Map<RecordType, Long> byType = new EnumMap<>(RecordType.class);
        final Map<String, Long> byProvider = new LinkedHashMap<>();
        long records;
        long bytes;

        Collector(long limit, int batchSize, Path spill) throws IOException {
            this.limit = limit;
            this.batchSize = batchSize;
            this.spill = spill;
            this.out = spill == null ? null : new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spill), 1 << 20));
        }

        @Override
        public void record(SourceRecord r) throws IOException {
            if (records >= limit) {
                throw new Enough();
            }
            byte[] line = RecordJson.render(r).getBytes(StandardCharsets.UTF_8);
            Buffer buffer = buffers.computeIfAbsent(r.providerId(), p -> new Buffer(batchSize * 700));
            buffer.write(line);
            buffer.write('\n');
            records++;
            bytes += line.length + 1;
            byType.merge(r.type(), 1L, Long::sum);
            byProvider.merge(r.providerId(), 1L, Long::sum);
            if (counts.merge(r.providerId(), 1, Integer::sum) == batchSize) {
                emit(r.providerId());
            }
        }

        private void emit(String provider) throws IOException {
            Buffer buffer = buffers.remove(provider);
            int count = counts.remove(provider);
            if (out == null) {
                if (slab.length - slabUsed < buffer.size()) {
                    slab = new byte[Math.max(SLAB_BYTES, buffer.size())];
                    slabUsed = 0;
                }
                System.arraycopy(buffer.raw(), 0, slab, slabUsed, buffer.size());
                batches.add(new Batch(provider, slab, slabUsed, buffer.size(), count));
                slabUsed += buffer.size();
            } else {
                out.writeUTF(provider);
                out.writeInt(count);
                out.writeInt(buffer.size());
                buffer.writeTo(out);
            }
        }

        void finish() throws IOException {
            for (String provider : new ArrayList<>(buffers.keySet())) {
                emit(provider);
            }
            if (out != null) {
                out.close();
            }
        }
    }
}
