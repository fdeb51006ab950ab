package kz.ehr.ingestion.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.ingestion.idempotency.ContentHash;
import kz.ehr.ingestion.intake.BatchParser;
import kz.ehr.ingestion.intake.IncomingRecord;
import kz.ehr.ingestion.validation.RecordValidator;
import kz.ehr.ingestion.validation.ValidatedRecord;
import kz.ehr.ingestion.validation.ValidationPolicy;

/**
 * CPU cost per record of the domain core on one thread (parse → validate/normalise → hash → Avro encode), without
 * HTTP, Kafka or PostgreSQL: the ceiling the service's own code puts on throughput.
 * {@code mvn -pl ingestion-service -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test
 * -Dexec.mainClass=kz.ehr.ingestion.bench.DomainCoreBenchmark}
 */
public final class DomainCoreBenchmark {
    public static void main(String[] args) {
        SyntheticRecords gen = new SyntheticRecords(1, "core");
        byte[][] batches = new byte[20][];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = gen.batch(1000).getBytes(StandardCharsets.UTF_8);
        }
        BatchParser parser = new BatchParser(32);
        EventCodec<HealthRecordEvent> codec = EventCodec.of(HealthRecordEvent.class);
        // thread CPU time, not wall time: the machine is shared, and this measures our code's cost, not the queue for a core
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] phase = new long[4];
        long records = 0;
        long sink = 0;
        long end = System.nanoTime() + (Long.getLong("bench.warmup", 20L) + Long.getLong("bench.seconds", 30L)) * 1_000_000_000L;
        long warmEnd = System.nanoTime() + Long.getLong("bench.warmup", 20L) * 1_000_000_000L;
        boolean measuring = false;
        int b = 0;
        while (System.nanoTime() < end) {
            if (!measuring && System.nanoTime() > warmEnd) {
                measuring = true;
                phase = new long[4];
                records = 0;
            }
            ValidationPolicy policy = ValidationPolicy.at(Instant.now());
            long t0 = cpu.getCurrentThreadCpuTime();
            List<IncomingRecord> in;
            try {
                in = parser.ndjson(batches[b++ % batches.length], 10_000);
            } catch (BatchParser.TooManyRecordsException e) {
                throw new IllegalStateException(e);
            }
            long t1 = cpu.getCurrentThreadCpuTime();
            List<ValidatedRecord> valid = new ArrayList<>(in.size());
            for (IncomingRecord r : in) {
                valid.add(RecordValidator.validate("bench", r.json(), policy));
            }
            long t2 = cpu.getCurrentThreadCpuTime();
            for (IncomingRecord r : in) {
                sink += ContentHash.of(r.json())[0];
            }
            long t3 = cpu.getCurrentThreadCpuTime();
            for (ValidatedRecord v : valid) {
                v.event().getEnvelope().setEventId("00000000-0000-0000-0000-000000000000");
                sink += codec.encode(v.event()).length;
            }
            long t4 = cpu.getCurrentThreadCpuTime();
            phase[0] += t1 - t0;
            phase[1] += t2 - t1;
            phase[2] += t3 - t2;
            phase[3] += t4 - t3;
            records += in.size();
        }
        System.out.printf("records %d (sink %d)%n", records, sink);
        String[] names = {"parse", "validate+normalise", "content hash", "avro encode"};
        long total = 0;
        for (int i = 0; i < 4; i++) {
            total += phase[i];
            System.out.printf("| %s | %.1f µs CPU/record |%n", names[i], phase[i] / 1000.0 / records);
        }
        System.out.printf("| total | %.1f µs CPU/record → %.0f records/s per core |%n", total / 1000.0 / records, records * 1e9 / total);
    }
}
