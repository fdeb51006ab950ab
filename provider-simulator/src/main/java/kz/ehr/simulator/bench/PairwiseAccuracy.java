package kz.ehr.simulator.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Pairwise precision and recall of a record linkage against the simulator's truth, counted from cluster sizes so that
 * no pair is ever enumerated: a cluster of n records holds n(n-1)/2 pairs. Each record is added once with its true
 * person and the id the linkage gave it; the true positives are the pairs inside the cells (true person, predicted
 * id), the predicted pairs those inside the predicted ids, the true pairs those inside the persons.
 */
public final class PairwiseAccuracy {
    private static final char SEPARATOR = '\u001f';
    private final Map<String, Long> byTruth = new HashMap<>();
    private final Map<String, Long> byPredicted = new HashMap<>();
    private final Map<String, Long> byBoth = new HashMap<>();
    private long records;

    /** One source record: its true person and the cluster (enterprise id) the linkage put it in. */
    public void add(String truthId, String predictedId) {
        byTruth.merge(truthId, 1L, Long::sum);
        byPredicted.merge(predictedId, 1L, Long::sum);
        byBoth.merge(truthId + SEPARATOR + predictedId, 1L, Long::sum);
        records++;
    }

    public long records() {
        return records;
    }

    public long persons() {
        return byTruth.size();
    }

    public long clusters() {
        return byPredicted.size();
    }

    /** Pairs of records of one true person. */
    public long truePairs() {
        return pairs(byTruth);
    }

    /** Pairs of records the linkage put in one cluster. */
    public long predictedPairs() {
        return pairs(byPredicted);
    }

    public long truePositives() {
        return pairs(byBoth);
    }

    /** Pairs linked although they are different persons (false links). */
    public long falsePositives() {
        return predictedPairs() - truePositives();
    }

    /** Pairs of one person the linkage left apart (missed links). */
    public long falseNegatives() {
        return truePairs() - truePositives();
    }

    public long trueNegatives() {
        return pairs(records) - truePositives() - falsePositives() - falseNegatives();
    }

    /** Linked pairs that are right; 0 when nothing was linked. */
    public double precision() {
        long predicted = predictedPairs();
        return predicted == 0 ? 0 : (double) truePositives() / predicted;
    }

    /** Pairs of one person that were linked; 0 when there are none. */
    public double recall() {
        long truth = truePairs();
        return truth == 0 ? 0 : (double) truePositives() / truth;
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public static long pairs(long n) {
        return n * (n - 1) / 2;
    }

    private static long pairs(Map<String, Long> clusterSizes) {
        long p = 0;
        for (long n : clusterSizes.values()) {
            p += pairs(n);
        }
        return p;
    }
}
