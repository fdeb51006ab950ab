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
        PairwiseAccuracy pairs = new PairwiseAccuracy();
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
            pairs.add(s.personId(), enterprise);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("persons", personNumber.size());
        m.put("sourceRecords", queried);
        m.put("unknownToPatientIndex", unknown);
        m.put("pairs", PairwiseAccuracy.pairs(queried));
        m.put("confusion", Map.of("truePositive", pairs.truePositives(), "falsePositive", pairs.falsePositives(),
                "falseNegative", pairs.falseNegatives(), "trueNegative", pairs.trueNegatives()));
        m.put("precision", round4(pairs.precision()));
        m.put("recall", round4(pairs.recall()));
        m.put("f1", round4(pairs.f1()));
        m.put("enterpriseIds", pairs.clusters());
        m.put("lookupSeconds", Percentiles.round((System.nanoTime() - t0) / 1e9));
        return m;
    }

    static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
