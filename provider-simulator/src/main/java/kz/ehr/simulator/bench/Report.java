package kz.ehr.simulator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes docs/benchmarks.md and docs/benchmarks.json: first one table of the current figure of every scenario (each
 * with its machine, the load average when its run began, date, PostgreSQL settings and command), each distinct machine
 * described once below it, then each scenario's details, then links to the per-module files of docs/benchmarks/. A run replaces the scenarios it measured and keeps the others'
 * last figures, so {@code --only X} never erases Y; history is left to git.
 */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String NOT_MEASURED = "not yet measured on this machine";

    /** A row of the summary: the name a reader looks for, and the command that measures it when it has no figure yet. */
    private record Row(String name, String command) {
    }

    /** The scenarios of {@code ./ehr bench}, in the summary's order. */
    private static final Map<String, Row> SUMMARY = new LinkedHashMap<>();

    static {
        SUMMARY.put("pipeline", new Row("Whole pipeline (REST → every service caught up)", "./ehr bench --only pipeline --records 1000000"));
        SUMMARY.put("pipelineWarm", new Row("Whole pipeline, warm (after a warm-up of the same population)",
                "./ehr bench --only pipeline --records 1000000 --warm-up 200000"));
        SUMMARY.put("ingestion", new Row("Ingestion over REST", "./ehr bench --only ingestion"));
        SUMMARY.put("rawKafkaProducer", new Row("Raw Kafka producer (reference)", "./ehr bench --only kafka"));
        SUMMARY.put("rawPostgresInsert", new Row("Raw PostgreSQL batched inserts (reference)", "./ehr bench --only postgres"));
        SUMMARY.put("mpiAccuracy", new Row("MPI accuracy (pairwise)", "./ehr bench --only ingestion,mpi"));
        SUMMARY.put("mpiAccuracyAtScale", new Row("MPI accuracy at scale (pairwise, simulator truth, in-process linking)",
                "see docs/benchmarks/patient-index-service.md, \"Accuracy at scale\""));
        SUMMARY.put("fraudAccuracy", new Row("Fraud monitor accuracy", "./ehr bench --only ingestion,fraud"));
        SUMMARY.put("fraudAccuracyInProcess", new Row("Fraud monitor accuracy, in process (per rule, simulator labels)",
                "see billing-service's FraudAccuracyBench (its COMMAND)"));
        SUMMARY.put("certificateVerification", new Row("Certificate verification (online)", "./ehr bench --only ingestion,verify"));
        SUMMARY.put("capitationRun", new Row("Capitation run (running platform)", "./ehr bench --only ingestion,capitation"));
        SUMMARY.put("endToEnd", new Row("Accepted → visible latency", "./ehr bench --only e2e"));
    }

    private Report() {
    }

    /** Re-renders docs/benchmarks.md (and .json) from the last measured figures with the current per-module files. */
    @SuppressWarnings("unchecked")
    static void rewrite(Path docs) throws IOException {
        Map<String, Object> report = JSON.readValue(docs.resolve("benchmarks.json").toFile(), LinkedHashMap.class);
        report.remove("perModule");
        write(docs, report);
    }

    @SuppressWarnings("unchecked")
    static void write(Path docs, Map<String, Object> report) throws IOException {
        Files.createDirectories(docs);
        Map<String, Object> scenarios = merged(docs, report);
        report.put("scenarios", scenarios);
        Map<String, Object> modules = perModule(docs);
        report.put("perModule", modules);
        Files.writeString(docs.resolve("benchmarks.json"), JSON.writeValueAsString(report) + "\n", StandardCharsets.UTF_8);

        StringBuilder md = new StringBuilder();
        md.append("# ehr-stream benchmarks\n\n");
        md.append("Written by `./ehr bench` (the simulator's `bench` mode, code in `provider-simulator/src/main/java/kz/ehr/simulator/bench/`); ")
                .append("raw figures in [`benchmarks.json`](benchmarks.json). Each row is the last run of that scenario; a run of some ")
                .append("scenarios (`--only …`) keeps the others' rows. Nothing here is asserted by a test. Earlier runs: `git log -p docs/benchmarks.md`.\n\n");
        md.append("## Current figures\n\n");
        md.append("| measurement | figure | machine | load average at start (1 / 5 / 15 min) | date (UTC) | PostgreSQL | command |\n"
                + "|---|---|---|---|---|---|---|\n");
        List<String> keys = new ArrayList<>(SUMMARY.keySet());
        scenarios.keySet().stream().filter(k -> !SUMMARY.containsKey(k)).forEach(keys::add);
        Map<String, Machines.Entry> machines = Machines.of(keys.stream().map(scenarios::get).toList());
        for (String key : keys) {
            Map<String, Object> s = (Map<String, Object>) scenarios.get(key);
            Row row = SUMMARY.get(key);
            String name = row != null ? row.name() : String.valueOf(s.getOrDefault("title", key));
            if (s == null) {
                md.append("| ").append(name).append(" | ").append(NOT_MEASURED).append(" | | | | | `").append(row.command()).append("` |\n");
                continue;
            }
            Map<String, Object> m = (Map<String, Object>) s.getOrDefault("measured", Map.of());
            Map<String, Object> machine = (Map<String, Object>) m.get("machine");
            md.append("| ").append(name).append(" | ").append(cell(headline(key, s))).append(" | ")
                    .append(cell(Machines.label(machines, machine))).append(" | ").append(cell(Machines.load(machine))).append(" | ")
                    .append(cell(date(m.get("date")))).append(" | ").append(cell(PostgresSettings.changed((Map<String, Object>) m.get("postgres"))))
                    .append(" | `").append(withJavaOptions((String) m.get("javaOptions"), (String) s.get("command"))).append("` |\n");
        }
        md.append('\n');
        Machines.describe(md, machines);
        for (String key : keys) {
            Map<String, Object> s = (Map<String, Object>) scenarios.get(key);
            if (s != null) {
                details(md, key, s, machines);
            }
        }
        md.append("## Per-module benchmarks\n\n");
        if (modules.isEmpty()) {
            md.append("No per-module files in `docs/benchmarks/` yet.\n");
        }
        md.append("Each module's engineer measures the module alone with their own command and keeps the findings in their file:\n\n");
        for (Map.Entry<String, Object> e : modules.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            md.append("- [").append(m.get("title")).append("](benchmarks/").append(e.getKey()).append(".md)\n");
        }
        Files.writeString(docs.resolve("benchmarks.md"), md.toString(), StandardCharsets.UTF_8);
    }

    /**
     * This run's scenarios, stamped with when, where and with what they were measured, over the previous file's
     * (whose scenarios from before the stamps existed take that file's own date, machine and command).
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> merged(Path docs, Map<String, Object> report) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        Path previous = docs.resolve("benchmarks.json");
        if (Files.exists(previous)) {
            Map<String, Object> old = JSON.readValue(previous.toFile(), LinkedHashMap.class);
            Map<String, Object> oldScenarios = (Map<String, Object>) old.getOrDefault("scenarios", Map.of());
            oldScenarios.forEach((k, v) -> out.put(k, stamped((Map<String, Object>) v, old)));
        }
        Map<String, Object> now = (Map<String, Object>) report.getOrDefault("scenarios", Map.of());
        now.forEach((k, v) -> out.put(k, stamped((Map<String, Object>) v, report)));
        Map<String, Object> ordered = new LinkedHashMap<>();
        SUMMARY.keySet().stream().filter(out::containsKey).forEach(k -> ordered.put(k, out.get(k)));
        out.forEach(ordered::putIfAbsent);
        return ordered;
    }

    /**
     * A bench command as it was run: {@code EHR_JAVA_OPTS="…" ./ehr bench …} when the launcher gave every JVM options
     * of a measurement (a row measured so is not one on defaults), the command alone when it gave none.
     */
    static String withJavaOptions(String javaOptions, String command) {
        return javaOptions == null || javaOptions.isBlank() ? command : "EHR_JAVA_OPTS=\"" + javaOptions.strip() + "\" " + command;
    }

    private static Map<String, Object> stamped(Map<String, Object> scenario, Map<String, Object> run) {
        if (scenario.containsKey("measured")) {
            return scenario;
        }
        Map<String, Object> measured = new LinkedHashMap<>();
        measured.put("date", run.get("date"));
        measured.put("machine", run.get("machine"));
        measured.put("runCommand", run.get("command"));
        if (run.get("postgres") != null) {
            measured.put("postgres", run.get("postgres"));
        }
        if (run.get("javaOptions") != null) {
            measured.put("javaOptions", run.get("javaOptions"));
        }
        Map<String, Object> out = new LinkedHashMap<>(scenario);
        out.put("measured", measured);
        return out;
    }

    private static Map<String, Object> perModule(Path docs) throws IOException {
        Map<String, Object> modules = new LinkedHashMap<>();
        Path dir = docs.resolve("benchmarks");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                    String name = f.getFileName().toString().replace(".md", "");
                    String title = Files.readAllLines(f).stream().filter(l -> l.startsWith("# ")).findFirst()
                            .map(l -> l.substring(2).strip()).orElse(name);
                    // in a fixed order (Map.of's varies between JVMs), so a re-render leaves benchmarks.json as it was
                    Map<String, Object> module = new LinkedHashMap<>();
                    module.put("title", title);
                    module.put("file", "docs/benchmarks/" + f.getFileName());
                    modules.put(name, module);
                }
            }
        }
        return modules;
    }

    @SuppressWarnings("unchecked")
    private static void details(StringBuilder md, String key, Map<String, Object> s, Map<String, Machines.Entry> machines) {
        Map<String, Object> m = (Map<String, Object>) s.getOrDefault("measured", Map.of());
        Map<String, Object> machine = (Map<String, Object>) m.get("machine");
        md.append("## ").append(s.getOrDefault("title", key)).append("\n\n");
        if (s.get("what") != null) {
            md.append(s.get("what")).append("\n\n");
        }
        md.append("Reproduce: `").append(withJavaOptions((String) m.get("javaOptions"), (String) s.get("command"))).append("`. Measured ").append(date(m.get("date"))).append(" UTC by `")
                .append(m.get("runCommand")).append("` on ").append(Machines.label(machines, machine)).append(" (load average at start ")
                .append(Machines.load(machine)).append("); PostgreSQL ").append(settings((Map<String, Object>) m.get("postgres"))).append(".\n\n");
        Map<String, Object> figures = new LinkedHashMap<>(s);
        for (String k : List.of("title", "what", "command", "measured")) {
            figures.remove(k);
        }
        table(md, figures);
    }

    /**
     * The distinct machines of the rows, each described once (CPUs, memory, OS, JVM) and labelled M1, M2, … in the order
     * of the rows; the load average when a run began is that run's own, in its row, not part of the machine.
     */
    static final class Machines {
        private static final String LOAD = "load average when the run began ";

        record Entry(String label, Map<String, Object> facts) {
        }

        private Machines() {
        }

        /** Identity (described machine) → its label, over the scenarios in row order (null: not measured). */
        @SuppressWarnings("unchecked")
        static Map<String, Entry> of(List<Object> scenarios) {
            Map<String, Entry> out = new LinkedHashMap<>();
            for (Object v : scenarios) {
                if (v instanceof Map<?, ?> s && ((Map<String, Object>) s).getOrDefault("measured", Map.of()) instanceof Map<?, ?> m
                        && m.get("machine") instanceof Map<?, ?> machine) {
                    out.computeIfAbsent(identity((Map<String, Object>) machine), k -> new Entry("M" + (out.size() + 1), (Map<String, Object>) machine));
                }
            }
            return out;
        }

        private static String identity(Map<String, Object> m) {
            return machine(m) + "; " + m.get("os") + "; " + m.get("java");
        }

        static String label(Map<String, Entry> machines, Map<String, Object> m) {
            return m == null ? "not recorded" : machines.get(identity(m)).label();
        }

        /** "5.75 / 6.82 / 9.58" from {@link Machine#facts()}'s note; an older run's own words (their first clause) where it has none. */
        static String load(Map<String, Object> m) {
            Object note = m == null ? null : m.get("note");
            if (note == null) {
                return "not recorded";
            }
            String s = note.toString();
            return s.startsWith(LOAD) ? s.substring(LOAD.length()).replace(" (1 / 5 / 15 min)", "") : "not recorded (" + s.split(";")[0] + ")";
        }

        static void describe(StringBuilder md, Map<String, Entry> machines) {
            if (machines.isEmpty()) {
                return;
            }
            md.append("Machines of the rows above (the load average is each run's own, in its row):\n\n")
                    .append("| machine | CPUs, memory | OS | JVM |\n|---|---|---|---|\n");
            machines.values().forEach(e -> md.append("| ").append(e.label()).append(" | ").append(cell(machine(e.facts()))).append(" | ")
                    .append(cell(String.valueOf(e.facts().get("os")))).append(" | ").append(cell(String.valueOf(e.facts().get("java"))))
                    .append(" |\n"));
            md.append('\n');
        }
    }

    /** The one figure a reader looks for first, per scenario. */
    @SuppressWarnings("unchecked")
    static String headline(String key, Map<String, Object> s) {
        if (s.get("error") != null) {
            return "failed: " + s.get("error");
        }
        return switch (key) {
            case "pipeline", "pipelineWarm" -> num(s.get("wholePipelineRecordsPerSecond")) + " records/s whole pipeline, " + num(s.get("acceptedRecordsPerSecond"))
                    + " accepted/s (" + num(s.get("records")) + " records); ÷ raw Kafka " + s.get("pipelineToRawKafka") + ", ÷ raw PostgreSQL "
                    + s.get("pipelineToRawPostgres")
                    + (s.get("targetsMet") != null ? "; issue #14's targets scaled by raw Kafka / PostgreSQL: " + s.get("targetsMet") : "");
            case "ingestion" -> num(s.get("acceptedPerSecond")) + " accepted records/s, batch p99 "
                    + ((Map<String, Object>) s.getOrDefault("batchLatencyMs", Map.of())).get("p99") + " ms (" + num(s.get("recordsSent")) + " records)";
            case "rawKafkaProducer" -> num(s.get("recordsPerSecond")) + " records/s (" + s.get("megabytesPerSecond") + " MB/s)";
            case "rawPostgresInsert" -> num(s.get("rowsPerSecond")) + " rows/s (batches of " + s.get("batch") + ")";
            case "mpiAccuracy" -> "precision " + s.get("precision") + ", recall " + s.get("recall") + ", F1 " + s.get("f1");
            case "mpiAccuracyAtScale" -> "precision " + s.get("precision") + ", recall " + s.get("recall") + ", F1 " + s.get("f1") + " ("
                    + num(s.get("indexRecords")) + " index records, " + num(s.get("persons")) + " persons)";
            case "fraudAccuracy" -> "precision " + s.get("precision") + ", recall " + s.get("recall");
            case "fraudAccuracyInProcess" -> "precision " + s.get("precision") + ", recall " + s.get("recall") + " (" + num(s.get("persons"))
                    + " persons, " + num(s.get("labelledVisits")) + " labelled visits"
                    + (s.get("falsePositiveVisitsUnderASharedIin") instanceof Number n && n.longValue() > 0
                            ? "; " + n + " of the " + num(s.get("falsePositive")) + " falsely flagged visits are of persons under an IIN several enterprise patients share, flagged identityInReview"
                            : "")
                    + "); per rule " + perRule(s);
            case "certificateVerification" -> num(s.get("verificationsPerSecond")) + " verifications/s, p99 "
                    + ((Map<String, Object>) s.getOrDefault("latencyMs", Map.of())).get("p99") + " ms";
            case "capitationRun" -> num(s.get("persons")) + " persons in " + s.get("requestSeconds") + " s";
            case "endToEnd" -> "visible p99: patient-index " + p99(s, "patientIndexVisibleMs") + " ms, certificates "
                    + p99(s, "certificatesVisibleMs") + " ms, billing " + p99(s, "billingVisibleMs") + " ms";
            default -> "see below";
        };
    }

    /**
     * "RULE precision/recall, …" over the byRule figures of a fraud accuracy scenario; "–" for a recall with no
     * labelled kind behind it, and the false positives where there are any.
     */
    @SuppressWarnings("unchecked")
    private static String perRule(Map<String, Object> s) {
        StringBuilder out = new StringBuilder();
        ((Map<String, Object>) s.getOrDefault("byRule", Map.of())).forEach((rule, v) -> {
            Map<String, Object> r = (Map<String, Object>) v;
            out.append(out.length() == 0 ? "" : ", ").append(rule).append(' ').append(r.get("precision") == null ? "–" : r.get("precision"))
                    .append('/').append(r.get("recall") == null ? "–" : r.get("recall"));
            if (r.get("falsePositive") instanceof Number n && n.longValue() > 0) {
                out.append(" (").append(n).append(" false positive").append(n.longValue() == 1 ? "" : "s").append(')');
            }
        });
        return out.append(" (precision/recall)").toString();
    }

    @SuppressWarnings("unchecked")
    private static Object p99(Map<String, Object> s, String key) {
        return ((Map<String, Object>) s.getOrDefault(key, Map.of())).get("p99");
    }

    private static String num(Object v) {
        return v instanceof Number n && !(v instanceof Double) ? String.format("%,d", n.longValue()) : String.valueOf(v);
    }

    /** "2 CPUs AMD EPYC, 23.5 GiB" from {@link Machine#facts()}. */
    static String machine(Map<String, Object> m) {
        if (m == null) {
            return "not recorded";
        }
        String memory = String.valueOf(m.get("memory"));
        if (memory.endsWith(" kB")) {
            memory = String.format("%.1f GiB", Long.parseLong(memory.replace(" kB", "").trim()) / 1024.0 / 1024.0);
        }
        return m.get("cpus") + " CPUs " + m.get("cpuModel") + ", " + memory;
    }

    private static String settings(Map<String, Object> postgres) {
        return postgres == null ? "settings not recorded" : PostgresSettings.summary(postgres);
    }

    private static String date(Object iso) {
        return iso == null ? "not recorded" : String.valueOf(iso).replace('T', ' ').replaceAll(":\\d\\dZ$", "").replace("Z", "");
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /** Figures as a two-column table; a figure that is a map of rows (per service) becomes its own table below. */
    @SuppressWarnings("unchecked")
    private static void table(StringBuilder md, Map<String, Object> figures) {
        Map<String, Map<String, Object>> subTables = new LinkedHashMap<>();
        md.append("| figure | value |\n|---|---|\n");
        figures.forEach((k, v) -> {
            if (v instanceof Map<?, ?> nested && !nested.isEmpty() && nested.values().stream().allMatch(x -> x instanceof Map)) {
                subTables.put(k, (Map<String, Object>) nested);
            } else if (v instanceof Map<?, ?> nested) {
                StringBuilder inner = new StringBuilder();
                ((Map<String, Object>) nested).forEach((a, b) -> inner.append(inner.length() == 0 ? "" : ", ").append(a).append(" ").append(b));
                md.append("| ").append(k).append(" | ").append(cell(inner.toString())).append(" |\n");
            } else {
                md.append("| ").append(k).append(" | ").append(cell(String.valueOf(v))).append(" |\n");
            }
        });
        md.append('\n');
        subTables.forEach((name, rows) -> {
            List<String> columns = new ArrayList<>();
            rows.values().forEach(r -> ((Map<String, Object>) r).keySet().forEach(c -> {
                if (!columns.contains(c)) {
                    columns.add(c);
                }
            }));
            md.append(name).append(":\n\n| |");
            columns.forEach(c -> md.append(' ').append(c).append(" |"));
            md.append("\n|---|");
            columns.forEach(c -> md.append("---|"));
            md.append('\n');
            rows.forEach((row, values) -> {
                md.append("| ").append(row).append(" |");
                columns.forEach(c -> md.append(' ').append(cell(String.valueOf(((Map<String, Object>) values).getOrDefault(c, "")))).append(" |"));
                md.append('\n');
            });
            md.append('\n');
        });
    }
}
