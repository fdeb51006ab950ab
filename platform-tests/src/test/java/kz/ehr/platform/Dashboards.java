package kz.ehr.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The checked-in Grafana dashboard read as its queries: every panel's PromQL expressions, and the metric names each
 * expression reads (what a service must export for the panel to show anything).
 */
final class Dashboards {
    static final Path ROOT = Path.of(System.getProperty("ehr.repo.root", "..")).toAbsolutePath().normalize();
    static final Path DASHBOARD = ROOT.resolve("deploy/grafana/dashboards/ehr-stream.json");
    /** Series Prometheus makes itself for every target; no service exports them. */
    static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![0-9.$A-Za-z_:])[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN");

    private Dashboards() {
    }

    /** Panel title → its PromQL expressions, for every panel (rows' collapsed panels included). */
    static Map<String, List<String>> expressions(Path dashboard) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(dashboard));
        Map<String, List<String>> out = new LinkedHashMap<>();
        collect(root.path("panels"), out);
        return out;
    }

    private static void collect(JsonNode panels, Map<String, List<String>> out) {
        for (JsonNode panel : panels) {
            List<String> exprs = new ArrayList<>();
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    exprs.add(target.get("expr").asText());
                }
            }
            if (!panel.path("type").asText().equals("row")) {
                out.put(panel.path("title").asText(), exprs);
            }
            collect(panel.path("panels"), out);
        }
    }

    /**
     * The metric names a PromQL expression reads: identifiers that are not functions or aggregations (followed by a
     * parenthesis), not keywords, not label names (inside braces or a by/without/on/ignoring list), not in strings.
     */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGE.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group();
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            if ((next < s.length() && s.charAt(next) == '(') || KEYWORDS.contains(name)) {
                continue;
            }
            names.add(name);
        }
        return names;
    }

    /** The metric names in a Prometheus text exposition (/q/metrics), one per sample line. */
    static Set<String> exported(String exposition) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    /** Panel title → the metric names its queries read that {@code exported} lacks; empty when every one is there. */
    static Map<String, Set<String>> missing(Map<String, List<String>> panels, Set<String> exported) {
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        panels.forEach((title, exprs) -> {
            Set<String> absent = new LinkedHashSet<>();
            exprs.forEach(e -> metricNames(e).stream()
                    .filter(n -> !exported.contains(n) && !MADE_BY_PROMETHEUS.contains(n)).forEach(absent::add));
            if (!absent.isEmpty()) {
                missing.put(title, absent);
            }
        });
        return missing;
    }
}
