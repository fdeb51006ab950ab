package kz.ehr.mpi.matching;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Re-estimates m and u from unlabelled comparison vectors (pairs produced by blocking) with the
 * expectation-maximisation algorithm under conditional independence (Fellegi-Sunter / Winkler).
 * Missing levels do not contribute to their field.
 */
public final class EmEstimator {
    /** Keeps estimates strictly inside (0, 1) so every weight stays finite. */
    private static final double FLOOR = 1e-7;

    public record Estimate(MatchWeights weights, double matchProportion, int iterations) {
    }

    private EmEstimator() {
    }

    public static Estimate estimate(List<int[]> vectors, MatchWeights start, double startProportion, int maxIterations) {
        if (vectors.isEmpty()) {
            return new Estimate(start, startProportion, 0);
        }
        MatchField[] fields = MatchField.values();
        Map<MatchField, double[]> m = new EnumMap<>(MatchField.class);
        Map<MatchField, double[]> u = new EnumMap<>(MatchField.class);
        for (MatchField f : fields) {
            m.put(f, start.m(f));
            u.put(f, start.u(f));
        }
        double p = startProportion;
        int iteration = 0;
        double[] g = new double[vectors.size()];
        for (; iteration < maxIterations; iteration++) {
            // E-step: probability that each pair is a match
            for (int i = 0; i < vectors.size(); i++) {
                int[] v = vectors.get(i);
                double logM = Math.log(p);
                double logU = Math.log(1 - p);
                for (MatchField f : fields) {
                    int l = v[f.ordinal()];
                    if (l >= 0) {
                        logM += Math.log(m.get(f)[l]);
                        logU += Math.log(u.get(f)[l]);
                    }
                }
                g[i] = 1.0 / (1.0 + Math.exp(logU - logM));
            }
            // M-step
            double sumG = 0;
            for (double gi : g) {
                sumG += gi;
            }
            double newP = clamp(sumG / vectors.size());
            double change = Math.abs(newP - p);
            for (MatchField f : fields) {
                double[] mc = new double[f.levels];
                double[] uc = new double[f.levels];
                for (int i = 0; i < vectors.size(); i++) {
                    int l = vectors.get(i)[f.ordinal()];
                    if (l >= 0) {
                        mc[l] += g[i];
                        uc[l] += 1 - g[i];
                    }
                }
                double[] mNew = normalise(mc, m.get(f));
                double[] uNew = normalise(uc, u.get(f));
                for (int l = 0; l < f.levels; l++) {
                    change = Math.max(change, Math.abs(mNew[l] - m.get(f)[l]));
                }
                m.put(f, mNew);
                u.put(f, uNew);
            }
            p = newP;
            if (change < 1e-6) {
                iteration++;
                break;
            }
        }
        return new Estimate(MatchWeights.of(m, u), p, iteration);
    }

    /** Counts → probabilities; a field never observed keeps its previous estimate. */
    private static double[] normalise(double[] counts, double[] previous) {
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        if (total <= 0) {
            return previous;
        }
        double[] out = new double[counts.length];
        double sum = 0;
        for (int l = 0; l < counts.length; l++) {
            out[l] = Math.max(FLOOR, counts[l] / total);
            sum += out[l];
        }
        for (int l = 0; l < counts.length; l++) {
            out[l] = clamp(out[l] / sum);
        }
        return out;
    }

    private static double clamp(double x) {
        return Math.min(1 - FLOOR, Math.max(FLOOR, x));
    }
}
