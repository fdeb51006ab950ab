package kz.ehr.console.web;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import kz.ehr.console.client.Answer;
import kz.ehr.console.client.Service;
import kz.ehr.console.client.ServiceDown;
import kz.ehr.console.client.Services;
import kz.ehr.console.session.StaffSession;

/**
 * Platform: each service's health ({@code /q/health}, open), consumer lag and dead letters per consumer group (the
 * readiness check {@code kafka-consumer-loops}), and records/s from ingestion's provider statistics: the totals, and
 * the last hour minute by minute from ingestion's per-minute counts (kept there for a day), so the line is there
 * whenever the page is opened, whichever console instance answers and however recently it started.
 */
@Path("/platform")
public class PlatformResource {
    static final String LOOPS_CHECK = "kafka-consumer-loops";
    static final int LINE_MINUTES = 60;

    @Inject
    Pages pages;
    @Inject
    Services services;

    @GET
    public Response show(@CookieParam(StaffSession.COOKIE) String cookie) {
        StaffSession session = pages.require(cookie, Page.PLATFORM);
        List<Map<String, Object>> health = new ArrayList<>();
        List<Map<String, Object>> groups = new ArrayList<>();
        for (Service s : Service.values()) {
            health.add(health(s, groups));
        }
        Map<String, Object> intake = new LinkedHashMap<>();
        String intakeError = null;
        try {
            Answer stats = services.get(Service.INGESTION, "/api/v1/providers/stats", session.token(), null);
            if (stats.ok()) {
                long total = 0;
                double current = 0, last5 = 0, last60 = 0;
                for (JsonNode p : stats.json()) {
                    total += p.path("accepted").asLong() + p.path("updates").asLong() + p.path("duplicates").asLong()
                            + p.path("rejected").asLong();
                    current += p.path("recordsPerMinute").path("currentMinute").asDouble();
                    last5 += p.path("recordsPerMinute").path("last5Minutes").asDouble();
                    last60 += p.path("recordsPerMinute").path("last60Minutes").asDouble();
                }
                intake.put("total", total);
                intake.put("currentMinute", Charts.format(current / 60));
                intake.put("last5", Charts.format(last5 / 60));
                intake.put("last60", Charts.format(last60 / 60));
            } else {
                intakeError = stats.problem();
            }
        } catch (ServiceDown e) {
            intakeError = e.getMessage();
        }
        List<Double> line = List.of();
        String lineError = null;
        try {
            Answer minutes = services.get(Service.INGESTION, "/api/v1/providers/stats/records-by-minute?minutes=" + (LINE_MINUTES + 1),
                    session.token(), null);
            if (minutes.ok()) {
                line = perSecond(minutes.json());
            } else {
                lineError = minutes.problem();
            }
        } catch (ServiceDown e) {
            lineError = e.getMessage();
        }
        Map<String, Long> lagChart = new LinkedHashMap<>();
        groups.forEach(g -> lagChart.put((String) g.get("group"), ((Number) g.get("lag")).longValue()));
        return Pages.html(pages.page("platform.html", session, Page.PLATFORM)
                .data("health", health).data("groups", groups).data("intake", intake).data("intakeError", intakeError)
                .data("rateChart", Charts.line("Records received per second, each minute of the last hour (all providers)",
                        line, "records/s", LINE_MINUTES + " min ago", "now"))
                .data("lineError", intakeError == null ? lineError : null)
                .data("lagChart", Charts.bars("Consumer lag per group (messages)", lagChart)));
    }

    /** Ingestion's per-minute series summed over providers, as records per second, without the current (partial) minute. */
    static List<Double> perSecond(JsonNode history) {
        double[] sum = new double[Math.max(0, history.path("buckets").size() - 1)];
        for (JsonNode series : history.path("series")) {
            JsonNode counts = series.path("counts");
            for (int i = 0; i < sum.length && i < counts.size(); i++) {
                sum[i] += counts.get(i).asDouble() / 60;
            }
        }
        return java.util.Arrays.stream(sum).boxed().toList();
    }

    private Map<String, Object> health(Service s, List<Map<String, Object>> groups) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", s.label);
        row.put("url", services.baseUrl(s));
        try {
            Answer a = services.get(s, "/q/health", null, null);
            JsonNode body = a.json();
            row.put("status", body == null ? "HTTP " + a.status() : body.path("status").asText());
            List<String> down = new ArrayList<>();
            if (body != null) {
                for (JsonNode check : body.path("checks")) {
                    if (!"UP".equals(check.path("status").asText())) {
                        down.add(check.path("name").asText());
                    }
                    if (LOOPS_CHECK.equals(check.path("name").asText())) {
                        groups.addAll(consumerGroups(s, check.path("data")));
                    }
                }
            }
            row.put("down", String.join(", ", down));
        } catch (ServiceDown e) {
            row.put("status", "NOT ANSWERING");
            row.put("down", e.getMessage());
        }
        return row;
    }

    /** The check's data holds "{group}.lag", "{group}.alive", "{group}.deadLettered"… per consumer group. */
    static List<Map<String, Object>> consumerGroups(Service s, JsonNode data) {
        Map<String, Map<String, Object>> byGroup = new LinkedHashMap<>();
        for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            int dot = key.lastIndexOf('.');
            if (dot <= 0) {
                continue;
            }
            String group = key.substring(0, dot);
            Map<String, Object> g = byGroup.computeIfAbsent(group, k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("service", s.label);
                m.put("group", k);
                m.put("lag", 0L);
                m.put("deadLettered", "–");
                return m;
            });
            g.put(key.substring(dot + 1), data.get(key).isNumber() ? data.get(key).asLong() : data.get(key).asText());
        }
        return new ArrayList<>(byGroup.values());
    }
}
