package kz.ehr.simulator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Facts about the machine a figure was measured on. */
final class Machine {
    private Machine() {
    }

    static Map<String, Object> facts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", firstMatching(Path.of("/proc/cpuinfo"), "model name"));
        String mem = firstMatching(Path.of("/proc/meminfo"), "MemTotal");
        m.put("memory", mem);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        // measured, not asserted: whether other work shared the machine when the run began
        String load = firstLine(Path.of("/proc/loadavg"));
        if (load != null) {
            m.put("note", "load average when the run began " + String.join(" / ", java.util.Arrays.copyOf(load.split("\\s+"), 3))
                    + " (1 / 5 / 15 min)");
        }
        return m;
    }

    private static String firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? null : lines.get(0).trim();
        } catch (Exception e) {
            return null;
        }
    }

    private static String firstMatching(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            return "unknown";
        }
        return "unknown";
    }
}
