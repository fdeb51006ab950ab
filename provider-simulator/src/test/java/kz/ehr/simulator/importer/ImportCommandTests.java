package kz.ehr.simulator.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.simulator.output.FilesSink;
import kz.ehr.simulator.output.Simulation;

/**
 * The importer against a loopback endpoint that answers like ingestion (the real service is driven by
 * platform-tests' LauncherIT): its input is what {@code ./ehr simulate --out} writes, plus two broken lines.
 */
class ImportCommandTests {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> PROVIDER_OF_KEY = Map.of("key-dm", "damumed", "key-km", "kmis");

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ImportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Simulated provider files in {@code dir/sim}, damumed's with a malformed line and a record without type. */
    Path simulated(int persons) throws Exception {
        Path sim = dir.resolve("sim");
        try (FilesSink sink = new FilesSink(sim, true)) {
            new Simulation(Simulation.Settings.of(persons, List.of("damumed", "kmis"), 11)).run(sink);
        }
        Files.writeString(sim.resolve("damumed.ndjson"), "{\"recordId\":\"broken-1\",\"type\":\n\n{\"recordId\":\"no-type\"}\n",
                StandardOpenOption.APPEND);
        return sim;
    }

    static long validLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count() - (file.toString().contains("damumed") ? 2 : 0);
    }

    static JsonNode checkpoint(Path file) throws IOException {
        return JSON.readTree(file.resolveSibling(file.getFileName() + ".import-checkpoint").toFile());
    }

    @Test
    void a_simulated_directory_is_imported_once_each_file_as_the_provider_it_is_named_after_and_rejections_are_written_out() throws Exception {
        Path sim = simulated(60);
        try (LoopbackIngestion ingestion = new LoopbackIngestion(PROVIDER_OF_KEY)) {
            Run r = run("--url", ingestion.url(), "--keys", "damumed:key-dm,kmis:key-km", "--batch", "100", "--no-progress", sim.toString());

            assertThat(r.code()).as(r.err()).isZero();
            long dm = validLines(sim.resolve("damumed.ndjson"));
            long km = validLines(sim.resolve("kmis.ndjson"));
            assertThat(ingestion.arrivals).hasSize((int) (dm + km)).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
            assertThat(ingestion.arrivals.keySet().stream().filter(id -> id.startsWith("kmis/")).count()).isEqualTo(km);
            JsonNode c = checkpoint(sim.resolve("damumed.ndjson"));
            assertThat(c.path("complete").asBoolean()).isTrue();
            assertThat(c.path("accepted").asLong()).isEqualTo(dm);
            assertThat(c.path("rejected").asLong()).isEqualTo(2);
            assertThat(c.path("rejectedByCode").path("MALFORMED_JSON").asLong()).isEqualTo(1);
            assertThat(c.path("rejectedByCode").path("REQUIRED").asLong()).isEqualTo(1);
            assertThat(r.out()).contains("accepted " + String.format("%,d", dm)).contains("rejected 2 (MALFORMED_JSON 1, REQUIRED 1)");

            List<String> rejected = Files.readAllLines(sim.resolve("damumed.ndjson.rejected.ndjson"));
            long lines = Files.readAllLines(sim.resolve("damumed.ndjson")).size();
            assertThat(rejected).hasSize(2);
            JsonNode malformed = JSON.readTree(rejected.get(0));
            assertThat(malformed.path("line").asLong()).isEqualTo(lines - 2);
            assertThat(malformed.path("errors").get(0).path("code").asText()).isEqualTo("MALFORMED_JSON");
            assertThat(malformed.path("record").asText()).isEqualTo("{\"recordId\":\"broken-1\",\"type\":");
            JsonNode noType = JSON.readTree(rejected.get(1));
            assertThat(noType.path("line").asLong()).isEqualTo(lines);
            assertThat(noType.path("record").path("recordId").asText()).isEqualTo("no-type");
            assertThat(sim.resolve("kmis.ndjson.rejected.ndjson")).doesNotExist();

            Run again = run("--url", ingestion.url(), "--keys", "damumed:key-dm,kmis:key-km", "--no-progress", sim.toString());
            assertThat(again.code()).isZero();
            assertThat(ingestion.arrivals).allSatisfy((id, n) -> assertThat(n).as("a finished file is not sent again").isEqualTo(1));
        }
    }

    @Test
    void a_gzip_file_stopped_after_two_batches_and_run_again_ends_with_the_totals_of_a_single_run_having_sent_nothing_twice() throws Exception {
        Path sim = simulated(40);
        Path gz = dir.resolve("export").resolve("damumed.2019.ndjson.gz");
        Files.createDirectories(gz.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(sim.resolve("damumed.ndjson"), out);
        }
        Path single = dir.resolve("single").resolve(gz.getFileName());
        Files.createDirectories(single.getParent());
        Files.copy(gz, single);
        try (LoopbackIngestion once = new LoopbackIngestion(PROVIDER_OF_KEY)) {
            assertThat(run("--url", once.url(), "--provider", "damumed", "--key", "key-dm", "--batch", "50", "--no-progress",
                    single.toString()).code()).isZero();
        }
        try (LoopbackIngestion ingestion = new LoopbackIngestion(PROVIDER_OF_KEY)) {
            String[] args = {"--url", ingestion.url(), "--provider", "damumed", "--key", "key-dm", "--batch", "50", "--concurrency", "1",
                    "--no-progress", gz.getParent().toString()};
            List<String> stopped = new ArrayList<>(List.of(args));
            stopped.addAll(List.of("--stop-after", "2"));
            Run first = run(stopped.toArray(String[]::new));
            assertThat(first.code()).as(first.err()).isEqualTo(3);
            assertThat(first.out()).contains("run the same command again");
            assertThat(checkpoint(gz).path("records").asLong()).isEqualTo(100);
            assertThat(ingestion.arrivals).hasSize(100);

            Run second = run(args);
            assertThat(second.code()).as(second.err()).isZero();
            assertThat(ingestion.arrivals).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
            JsonNode resumed = checkpoint(gz);
            JsonNode whole = checkpoint(single);
            for (String count : List.of("records", "accepted", "duplicates", "rejected", "rejectedByCode", "rejectedFileBytes")) {
                assertThat(resumed.path(count)).as(count).isEqualTo(whole.path(count));
            }
            assertThat(Files.readString(gz.resolveSibling(gz.getFileName() + ".rejected.ndjson")))
                    .isEqualTo(Files.readString(single.resolveSibling(single.getFileName() + ".rejected.ndjson")));
        }
    }

    @Test
    void an_importer_killed_while_a_batch_is_in_flight_resends_only_that_batch_which_ingestion_counts_as_duplicates() throws Exception {
        Path sim = simulated(120);
        Path file = sim.resolve("kmis.ndjson");
        long records = validLines(file);
        assertThat(records).as("more than four batches").isGreaterThan(200);
        try (LoopbackIngestion ingestion = new LoopbackIngestion(PROVIDER_OF_KEY)) {
            ingestion.holdBatch(4);
            Process importer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ImportCommand.class.getName(),
                    "--url", ingestion.url(), "--provider", "kmis", "--key", "key-km", "--batch", "50", "--concurrency", "1",
                    "--no-progress", file.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("importer.log").toFile()).start();
            try {
                boolean reached = ingestion.held.await(60, TimeUnit.SECONDS);
                assertThat(reached).as("the 4th batch reached ingestion; importer: %s", Files.readString(dir.resolve("importer.log"))).isTrue();
            } finally {
                importer.destroyForcibly().waitFor();
                ingestion.release.countDown();
            }
            assertThat(checkpoint(file).path("records").asLong()).as("three batches acknowledged").isEqualTo(150);

            Run resumed = run("--url", ingestion.url(), "--provider", "kmis", "--key", "key-km", "--batch", "50", "--no-progress", file.toString());

            assertThat(resumed.code()).as(resumed.err()).isZero();
            assertThat(ingestion.arrivals).hasSize((int) records);
            assertThat(ingestion.arrivals.values().stream().filter(n -> n == 2).count()).as("the batch in flight, sent twice").isEqualTo(50);
            assertThat(ingestion.arrivals.values()).allSatisfy(n -> assertThat(n).isBetween(1, 2));
            JsonNode c = checkpoint(file);
            assertThat(c.path("records").asLong()).as("every record counted once").isEqualTo(records);
            assertThat(c.path("duplicates").asLong()).isEqualTo(50);
            assertThat(c.path("accepted").asLong()).isEqualTo(records - 50);
        }
    }

    @Test
    void a_file_that_changed_since_its_checkpoint_is_refused_with_what_to_do() throws Exception {
        Path sim = simulated(30);
        Path file = sim.resolve("kmis.ndjson");
        try (LoopbackIngestion ingestion = new LoopbackIngestion(PROVIDER_OF_KEY)) {
            String[] args = {"--url", ingestion.url(), "--provider", "kmis", "--key", "key-km", "--batch", "20", "--concurrency", "1",
                    "--no-progress", file.toString()};
            List<String> stopped = new ArrayList<>(List.of(args));
            stopped.addAll(List.of("--stop-after", "1"));
            assertThat(run(stopped.toArray(String[]::new)).code()).isEqualTo(3);
            Files.writeString(file, "{\"recordId\":\"late\",\"type\":\"PATIENT\"}\n", StandardOpenOption.APPEND);
            int processed = ingestion.batchesProcessed();

            Run refused = run(args);

            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains(file + " changed since its checkpoint").contains("delete " + file + ".import-checkpoint");
            assertThat(ingestion.batchesProcessed()).isEqualTo(processed);
        }
    }

    @Test
    void bad_usage_exits_2_with_the_reason_and_an_unreadable_input_is_named() throws Exception {
        Path sim = simulated(5);
        assertThat(run().code()).isEqualTo(2);
        Run keyAlone = run("--key", "k", sim.toString());
        assertThat(keyAlone.code()).isEqualTo(2);
        assertThat(keyAlone.err()).contains("--key needs --provider ID");
        assertThat(run("--provider", "kmis", "--key", "k", "--batch", "0", sim.toString()).err()).contains("--batch takes a whole number above 0");
        assertThat(run("--provider", "kmis", "--key", "k", "--frobnicate", sim.toString()).err()).contains("unknown option --frobnicate");
        Run unknownProvider = run("--keys", "kmis:k", sim.toString());
        assertThat(unknownProvider.code()).isEqualTo(2);
        assertThat(unknownProvider.err()).contains("no key for provider damumed (taken from the name of " + sim.resolve("damumed.ndjson"));
        Run emptyDir = run("--provider", "kmis", "--key", "k", dir.resolve("sim").getParent().toString());
        assertThat(emptyDir.err()).contains("holds no *.ndjson or *.ndjson.gz file");

        Path missing = dir.resolve("nowhere.ndjson");
        Run unreadable = run("--provider", "kmis", "--key", "k", missing.toString());
        assertThat(unreadable.code()).isEqualTo(1);
        assertThat(unreadable.err()).contains("cannot read " + missing + ": no such file");
    }
}
