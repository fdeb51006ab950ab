package kz.ehr.simulator.bench;

import java.util.List;

import kz.ehr.simulator.output.RecordJson;
import kz.ehr.simulator.output.RecordSink;
import kz.ehr.simulator.output.Simulation;
import kz.ehr.simulator.output.SourceRecord;

/**
 * How fast the simulator itself produces provider records (population, timelines, fraud, provider views and JSON
 * rendering, no I/O), so a load test knows the generator is not its bottleneck.
 * {@code mvn -pl provider-simulator -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=kz.ehr.simulator.bench.GeneratorBench -Dexec.args="200000"}
 */
public final class GeneratorBench {
    private GeneratorBench() {
    }

    public static void main(String[] args) throws Exception {
        long persons = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
        // warm-up so the JIT has compiled the generator before the measured run
        run(20_000, 1);
        long[] counts = new long[2];
        long t0 = System.nanoTime();
        run(persons, 42, counts);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("generated %,d persons → %,d records (%,d JSON bytes) in %.1f s: %,.0f persons/s, %,.0f records/s, %.1f MB/s%n",
                persons, counts[0], counts[1], seconds, persons / seconds, counts[0] / seconds, counts[1] / seconds / 1e6);
    }

    private static void run(long persons, long seed) throws Exception {
        run(persons, seed, new long[2]);
    }

    private static void run(long persons, long seed, long[] counts) throws Exception {
        new Simulation(Simulation.Settings.of(persons, List.of("damumed", "kmis", "medelement"), seed)).run(new RecordSink() {
            @Override
            public void record(SourceRecord r) {
                counts[0]++;
                counts[1] += RecordJson.render(r).length();
            }
        });
    }
}
