package kz.ehr.simulator.bench;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.simulator.fraud.FraudType;

/**
 * Fraud-monitor precision and recall on the running platform, per visit: a visit (provider:recordId) is
 * predicted fraudulent when billing raised at least one flag on it; labels come from the simulator's truth.
 */
public final class FraudAccuracy {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Visit keys of every flag billing holds, and the rules that fired on them. */
    static Map<String, Set<String>> flags(Platform platform) throws Exception {
        Map<String, Set<String>> flagged = new HashMap<>();
        String cursor = null;
        for (int page = 0; page < 10_000; page++) {
            Platform.Answer a = platform.get(platform.billing + "/api/v1/fraud/flags?limit=500" + (cursor == null ? "" : "&after=" + Platform.enc(cursor)));
            if (a.status() != 200) {
                throw new IllegalStateException("GET /api/v1/fraud/flags answered " + a.status() + ": " + a.body());
            }
            JsonNode n = JSON.readTree(a.body());
            for (JsonNode f : n.path("items")) {
                flagged.computeIfAbsent(f.path("visitKey").asText(), k -> new HashSet<>()).add(f.path("ruleId").asText());
            }
            cursor = n.path("nextCursor").isTextual() ? n.path("nextCursor").asText() : null;
            if (cursor == null || n.path("items").isEmpty()) {
                break;
            }
        }
        return flagged;
    }

    static Map<String, Object> measure(Platform platform, Map<String, FraudType> labels, Set<String> visitsOfThisRun, long settleSeconds)
            throws Exception {
        // the monitor works on a stream: wait until the number of flagged visits stops growing
        long deadline = System.nanoTime() + settleSeconds * 1_000_000_000L;
        Map<String, Set<String>> flagged = flags(platform);
        int stable = 0;
        while (System.nanoTime() < deadline && stable < 3) {
            Thread.sleep(3000);
            Map<String, Set<String>> again = flags(platform);
            stable = again.size() == flagged.size() ? stable + 1 : 0;
            flagged = again;
        }
        flagged.keySet().retainAll(visitsOfThisRun);
        return score(flagged, labels);
    }

    /**
     * Precision and recall of {@code flagged} (visit key → the rules that fired on it) against the simulator's labels
     * (visit key → fraud kind): overall, per fraud kind and per rule. Also used by billing's in-process bench.
     */
    public static Map<String, Object> score(Map<String, Set<String>> flagged, Map<String, FraudType> labels) {
        long tp = 0;
        Map<FraudType, long[]> perType = new EnumMap<>(FraudType.class);
        for (Map.Entry<String, FraudType> e : labels.entrySet()) {
            long[] c = perType.computeIfAbsent(e.getValue(), k -> new long[2]);
            c[0]++;
            if (flagged.containsKey(e.getKey())) {
                c[1]++;
                tp++;
            }
        }
        Map<String, Long> rules = new HashMap<>();
        Map<String, Long> falseByRule = new HashMap<>();
        flagged.forEach((visit, rs) -> rs.forEach(r -> {
            rules.merge(r, 1L, Long::sum);
            if (!labels.containsKey(visit)) {
                falseByRule.merge(r, 1L, Long::sum);
            }
        }));
        double precision = flagged.isEmpty() ? 0 : (double) tp / flagged.size();
        double recall = labels.isEmpty() ? 0 : (double) tp / labels.size();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("labelledVisits", labels.size());
        m.put("flaggedVisits", flagged.size());
        m.put("truePositive", tp);
        m.put("falsePositive", flagged.size() - tp);
        m.put("falseNegative", labels.size() - tp);
        m.put("precision", MpiAccuracy.round4(precision));
        m.put("recall", MpiAccuracy.round4(recall));
        Map<String, Object> byType = new LinkedHashMap<>();
        perType.forEach((t, c) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("labelled", c[0]);
            r.put("flagged", c[1]);
            r.put("recall", MpiAccuracy.round4(c[0] == 0 ? 0 : (double) c[1] / c[0]));
            byType.put(t.name(), r);
        });
        m.put("recallByFraudType", byType);
        m.put("flaggedVisitsByRule", new java.util.TreeMap<>(rules));
        // per rule: precision = its flagged visits that are labelled fraud (of any kind) / its flagged visits; recall =
        // the visits labelled with the kind it is meant for (FraudType.ruleId) that it flagged / those labelled visits.
        // truePositive + falsePositive = flagged; caught + missed = labelled (its own kind)
        Map<String, Object> byRule = new java.util.TreeMap<>();
        Set<String> ruleIds = new java.util.TreeSet<>(rules.keySet());
        for (FraudType t : FraudType.values()) {
            ruleIds.add(t.ruleId);
        }
        for (String rule : ruleIds) {
            long flaggedByRule = rules.getOrDefault(rule, 0L);
            long right = flaggedByRule - falseByRule.getOrDefault(rule, 0L);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("flagged", flaggedByRule);
            r.put("truePositive", right);
            r.put("falsePositive", flaggedByRule - right);
            r.put("precision", flaggedByRule == 0 ? null : MpiAccuracy.round4((double) right / flaggedByRule));
            for (FraudType t : FraudType.values()) {
                if (t.ruleId.equals(rule)) {
                    Map<String, Set<String>> f = flagged;
                    long labelled = labels.values().stream().filter(t::equals).count();
                    long caught = labels.entrySet().stream().filter(e -> e.getValue() == t && f.getOrDefault(e.getKey(), Set.of()).contains(rule)).count();
                    r.put("labelled", labelled);
                    r.put("caught", caught);
                    r.put("missed", labelled - caught);
                    r.put("recall", labelled == 0 ? null : MpiAccuracy.round4((double) caught / labelled));
                }
            }
            byRule.put(rule, r);
        }
        m.put("byRule", byRule);
        m.put("falsePositivesByRule", new java.util.TreeMap<>(falseByRule));
        m.put("note", "false positives are genuine visits the monitor flagged: the simulator books every genuine visit at the "
                + "polyclinic the person is attached to that day, in a free non-overlapping slot, outside hospital stays, once per "
                + "service and day and inside screening target groups (SimulationTests checks this), so each one is worth a look "
                + "in flaggedVisitsByRule");
        return m;
    }
}
