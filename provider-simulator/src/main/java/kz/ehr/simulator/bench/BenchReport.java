package kz.ehr.simulator.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * For benchmarks that run outside {@code ./ehr bench} (a module's in-process bench): records one scenario in
 * docs/benchmarks.md and .json as {@code ./ehr bench} would, stamped with this machine, now and the server's settings,
 * keeping every other scenario's row.
 */
public final class BenchReport {
    private BenchReport() {
    }

    /**
     * @param scenario title, what, command (how a reader reproduces it) and the figures
     * @param runCommand the command line that produced it
     */
    public static void record(Path docs, String key, Map<String, Object> scenario, String runCommand, String pgHost, int pgPort,
                              String pgUser, String pgPassword) throws java.io.IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        report.put("command", runCommand);
        report.put("machine", Machine.facts());
        report.put("postgres", PostgresSettings.read(pgHost, pgPort, pgUser, pgPassword));
        report.put("scenarios", Map.of(key, scenario));
        Report.write(docs, report);
    }
}
