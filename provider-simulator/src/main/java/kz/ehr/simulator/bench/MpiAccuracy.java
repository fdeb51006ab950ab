package kz.ehr.simulator.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Pairwise MPI accuracy on the running platform: every pair of source records of the sampled persons is a
 * positive when they are the same true person; predicted positive when patient-index gave them the same
 * enterprise id. A source record patient-index does not know counts as linked to nothing.
 */
final class MpiAccuracy {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, Object> measure(Platform platform, List<Truth.Source> sources, int maxPersons) throws Exception {
        Map<String, Integer> personNumber = new HashMap<>();
        Map<String, Long> byPerson = new HashMap<>();
        Map<String, Long> byEnterprise = new HashMap<>();
        Map<String, Long> byBoth = new HashMap<>();
        long queried = 0;
        long unknown = 0;
        long t0 = System.nanoTime();
        for (Truth.Source s : sources) {
            if (!personNumber.containsKey(s.personId())) {
                if (personNumber.size() >= maxPersons) {
                    continue;
                }
                personNumber.put(s.personId(), personNumber.size());
            }
            Platform.Answer a = platform.get(platform.sourceRecordUrl(s.providerId(), s.localId()));
            queried++;
            String enterprise;
            if (a.status() == 200) {
                JsonNode n = JSON.readTree(a.body());
                enterprise = n.path("enterpriseId").asText("");
            } else {
                enterprise = "";
            }
            if (enterprise.isEmpty()) {
                unknown++;
                enterprise = "unlinked:" + s.providerId() + "/" + s.localId();
            }
            byPerson.merge(s.personId(), 1L, Long::sum);
            byEnterprise.merge(enterprise, 1L, Long::sum);
            byBoth.merge(s.personId() + "|" + enterprise, 1L, Long::sum);
        }
        long truePairs = pairs(byPerson);
        long predictedPairs = pairs(byEnterprise);
        long tp = pairs(byBoth);
        long fp = predictedPairs - tp;
        long fn = truePairs - tp;
        long total = queried * (queried - 1) / 2;
        long tn = total - tp - fp - fn;
        double precision = predictedPairs == 0 ? 0 : (double) tp / predictedPairs;
        double recall = truePairs == 0 ? 0 : (double) tp / truePairs;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("persons", personNumber.size());
        m.put("sourceRecords", queried);
        m.put("unknownToPatientIndex", unknown);
        m.put("pairs", total);
        m.put("confusion", Map.of("truePositive", tp, "falsePositive", fp, "falseNegative", fn, "trueNegative", tn));
        m.put("precision", round4(precision));
        m.put("recall", round4(recall));
        m.put("f1", round4(f1));
        m.put("enterpriseIds", byEnterprise.size());
        m.put("lookupSeconds", Percentiles.round((System.nanoTime() - t0) / 1e9));
        return m;
    }

    private static long pairs(Map<String, Long> counts) {
        long p = 0;
        for (long n : counts.values()) {
            p += n * (n - 1) / 2;
        }
        return p;
    }

    static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
