package kz.ehr.simulator.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

import kz.ehr.simulator.output.RestSink;
import kz.ehr.simulator.output.Simulation;

/** The simulator's load mode: a population streamed over REST as fast as ingestion accepts it. */
final class IngestionLoad {
    record Result(Truth truth, Map<String, Object> figures) {
    }

    static Result run(Platform platform, Map<String, String> keys, long persons, long seed, double errorScale, int batch, int concurrency)
            throws Exception {
        RestSink rest = new RestSink(platform.ingestion, keys, batch, concurrency, 0);
        Truth truth = new Truth(rest);
        Simulation.Settings defaults = Simulation.Settings.of(persons, List.copyOf(keys.keySet()), seed);
        Simulation simulation = new Simulation(new Simulation.Settings(persons, defaults.providers(), seed, defaults.window(), errorScale,
                defaults.fraud()));
        long t0 = System.nanoTime();
        simulation.run(truth);
        rest.drain();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Histogram latency = rest.takeLatencies();
        truth.close();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("persons", persons);
        f.put("providers", List.copyOf(keys.keySet()));
        f.put("errorScale", errorScale);
        f.put("batchSize", batch);
        f.put("concurrentBatches", concurrency);
        f.put("recordsSent", rest.sent());
        f.put("accepted", rest.accepted());
        f.put("duplicates", rest.duplicates());
        f.put("rejected", rest.rejected());
        f.put("batches", rest.batches());
        f.put("seconds", Percentiles.round(seconds));
        f.put("recordsPerSecond", Math.round(rest.sent() / seconds));
        f.put("acceptedPerSecond", Math.round(rest.accepted() / seconds));
        f.put("batchLatencyMs", Percentiles.millis(latency));
        return new Result(truth, f);
    }
}
