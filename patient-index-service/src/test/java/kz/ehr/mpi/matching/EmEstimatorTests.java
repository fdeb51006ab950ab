package kz.ehr.mpi.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class EmEstimatorTests {

    /** Draws a level from a distribution. */
    private static int draw(double[] p, Random r) {
        double x = r.nextDouble();
        for (int l = 0; l < p.length; l++) {
            x -= p[l];
            if (x <= 0) {
                return l;
            }
        }
        return p.length - 1;
    }

    @Test
    void recoversKnownProbabilitiesFromUnlabelledPairs() {
        double[] mLast = {0.8, 0.1, 0.05, 0.05};
        double[] uLast = {0.01, 0.02, 0.07, 0.9};
        Random r = new Random(7);
        List<int[]> vectors = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            boolean match = r.nextDouble() < 0.2;
            int[] v = new int[MatchField.values().length];
            Arrays.fill(v, -1);
            v[MatchField.LAST_NAME.ordinal()] = draw(match ? mLast : uLast, r);
            v[MatchField.FIRST_NAME.ordinal()] = draw(match ? new double[] {0.9, 0.05, 0.03, 0.02} : new double[] {0.02, 0.02, 0.06, 0.9}, r);
            v[MatchField.BIRTH_DATE.ordinal()] = draw(match ? new double[] {0.9, 0.03, 0.03, 0.04} : new double[] {0.05, 0.01, 0.04, 0.9}, r);
            v[MatchField.SEX.ordinal()] = draw(match ? new double[] {0.98, 0.02} : new double[] {0.5, 0.5}, r);
            vectors.add(v);
        }

        EmEstimator.Estimate e = EmEstimator.estimate(vectors, MatchWeights.defaults(), 0.1, 200);

        assertThat(e.matchProportion()).isBetween(0.18, 0.22);
        assertThat(e.weights().m(MatchField.LAST_NAME)[0]).isBetween(0.76, 0.84);
        assertThat(e.weights().u(MatchField.LAST_NAME)[3]).isBetween(0.87, 0.93);
        assertThat(e.weights().m(MatchField.SEX)[0]).isBetween(0.95, 1.0);
        // a field never observed keeps its starting estimate
        assertThat(e.weights().m(MatchField.PHONE)).containsExactly(MatchWeights.defaults().m(MatchField.PHONE));
    }

    @Test
    void noVectorsLeaveTheWeightsAsTheyWere() {
        EmEstimator.Estimate e = EmEstimator.estimate(List.of(), MatchWeights.defaults(), 0.1, 10);
        assertThat(e.iterations()).isZero();
        assertThat(e.weights()).isSameAs(e.weights());
        assertThat(e.matchProportion()).isEqualTo(0.1);
    }
}
