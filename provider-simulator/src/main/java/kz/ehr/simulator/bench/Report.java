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

/** Writes docs/benchmarks.md and docs/benchmarks.json, including the per-module files of docs/benchmarks/. */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
        Map<String, Object> modules = new LinkedHashMap<>();
        Path perModule = docs.resolve("benchmarks");
        if (Files.isDirectory(perModule)) {
            try (Stream<Path> files = Files.list(perModule)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                    modules.put(f.getFileName().toString().replace(".md", ""),
                            Map.of("file", "docs/benchmarks/" + f.getFileName(), "markdown", Files.readString(f)));
                }
            }
        }
        report.put("perModule", modules);
        Files.writeString(docs.resolve("benchmarks.json"), JSON.writeValueAsString(report) + "\n", StandardCharsets.UTF_8);

        StringBuilder md = new StringBuilder();
        md.append("# ehr-stream benchmarks\n\n");
        md.append("Written by `./ehr bench` (the simulator's `bench` mode: `java -jar provider-simulator/target/provider-simulator.jar bench …`) ")
                .append("on ").append(report.get("date")).append(". Raw figures: [`benchmarks.json`](benchmarks.json). ")
                .append("Nothing here is asserted by a test; every figure is measured by code in `provider-simulator/src/main/java/kz/ehr/simulator/bench/`.\n\n");
        md.append("Command of this run: `").append(report.get("command")).append("`\n\n");
        md.append("## Machine\n\n");
        table(md, (Map<String, Object>) report.get("machine"));
        for (Map.Entry<String, Object> e : ((Map<String, Object>) report.get("scenarios")).entrySet()) {
            Map<String, Object> s = (Map<String, Object>) e.getValue();
            md.append("## ").append(s.getOrDefault("title", e.getKey())).append("\n\n");
            if (s.get("what") != null) {
                md.append(s.get("what")).append("\n\n");
            }
            md.append("Reproduce: `").append(s.get("command")).append("`\n\n");
            Map<String, Object> figures = new LinkedHashMap<>(s);
            figures.remove("title");
            figures.remove("what");
            figures.remove("command");
            table(md, figures);
        }
        md.append("## Per-module benchmarks\n\n");
        if (modules.isEmpty()) {
            md.append("No per-module files in `docs/benchmarks/` yet.\n\n");
        }
        List<String> names = new ArrayList<>(modules.keySet());
        for (String name : names) {
            Map<String, Object> m = (Map<String, Object>) modules.get(name);
            md.append("### ").append(name).append("\n\nIncluded from [`").append(m.get("file")).append("`](benchmarks/").append(name)
                    .append(".md), written by that module's engineer with their own command.\n\n");
            String body = ((String) m.get("markdown")).replaceAll("(?m)^#", "####");
            md.append(body.strip()).append("\n\n");
        }
        Files.writeString(docs.resolve("benchmarks.md"), md.toString(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static void table(StringBuilder md, Map<String, Object> figures) {
        md.append("| figure | value |\n|---|---|\n");
        figures.forEach((k, v) -> {
            if (v instanceof Map<?, ?> nested) {
                StringBuilder inner = new StringBuilder();
                ((Map<String, Object>) nested).forEach((a, b) -> inner.append(inner.length() == 0 ? "" : ", ").append(a).append(" ").append(b));
                md.append("| ").append(k).append(" | ").append(inner).append(" |\n");
            } else {
                md.append("| ").append(k).append(" | ").append(v).append(" |\n");
            }
        });
        md.append('\n');
    }
}
