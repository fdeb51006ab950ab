package kz.ehr.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The pairwise counts from cluster sizes against truths small enough to count the pairs by hand. */
class PairwiseAccuracyTests {

    @Test
    void aFalseLinkLowersPrecisionOnly() {
        // persons A (3 records) and B (2 records); the linkage found both, and joined one stranger C to B's patient
        PairwiseAccuracy a = new PairwiseAccuracy();
        a.add("A", "e1");
        a.add("A", "e1");
        a.add("A", "e1");
        a.add("B", "e2");
        a.add("B", "e2");
        a.add("C", "e2");
        // true pairs: A 3 + B 1 = 4; predicted: e1 3 + e2 3 = 6, of which C-B and C-B are wrong
        assertThat(a.truePairs()).isEqualTo(4);
        assertThat(a.predictedPairs()).isEqualTo(6);
        assertThat(a.truePositives()).isEqualTo(4);
        assertThat(a.falsePositives()).isEqualTo(2);
        assertThat(a.falseNegatives()).isZero();
        assertThat(a.trueNegatives()).isEqualTo(15 - 6);
        assertThat(a.precision()).isCloseTo(4 / 6.0, within(1e-12));
        assertThat(a.recall()).isEqualTo(1.0);
        assertThat(a.f1()).isCloseTo(2 * (4 / 6.0) / (4 / 6.0 + 1), within(1e-12));
        assertThat(a.persons()).isEqualTo(3);
        assertThat(a.clusters()).isEqualTo(2);
    }

    @Test
    void aSplitPersonLowersRecallOnly() {
        // A's three records on two patients: pairs (1,2) found, (1,3) and (2,3) missed; D alone counts nothing
        PairwiseAccuracy a = new PairwiseAccuracy();
        a.add("A", "e1");
        a.add("A", "e1");
        a.add("A", "e9");
        a.add("D", "e4");
        assertThat(a.truePairs()).isEqualTo(3);
        assertThat(a.truePositives()).isEqualTo(1);
        assertThat(a.falseNegatives()).isEqualTo(2);
        assertThat(a.falsePositives()).isZero();
        assertThat(a.precision()).isEqualTo(1.0);
        assertThat(a.recall()).isCloseTo(1 / 3.0, within(1e-12));
    }

    @Test
    void clusterSizesCountPairsThatAreNeverListed() {
        // one person of 100,000 records wrongly split in halves, one cluster of 2,000 strangers
        PairwiseAccuracy a = new PairwiseAccuracy();
        for (int i = 0; i < 100_000; i++) {
            a.add("P", i < 50_000 ? "left" : "right");
        }
        for (int i = 0; i < 2_000; i++) {
            a.add("S" + i, "junk");
        }
        assertThat(a.truePairs()).isEqualTo(100_000L * 99_999 / 2);
        assertThat(a.truePositives()).isEqualTo(2 * (50_000L * 49_999 / 2));
        assertThat(a.falsePositives()).isEqualTo(2_000L * 1_999 / 2);
        assertThat(a.falseNegatives()).isEqualTo(50_000L * 50_000);
        // the only pairs left apart rightly: every stranger with every record of P
        assertThat(a.trueNegatives()).isEqualTo(2_000L * 100_000);
    }

    @Test
    void nothingLinkedIsZeroPrecisionNotADivisionByZero() {
        PairwiseAccuracy a = new PairwiseAccuracy();
        a.add("A", "e1");
        a.add("A", "e2");
        assertThat(a.precision()).isZero();
        assertThat(a.recall()).isZero();
        assertThat(a.f1()).isZero();
    }
}
