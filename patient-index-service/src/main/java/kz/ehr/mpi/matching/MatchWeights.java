package kz.ehr.mpi.matching;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * m = P(level | same person) and u = P(level | different persons) per field and agreement level; the
 * Fellegi-Sunter weight of a level is log2(m/u). Defaults are calibrated for a national population of
 * ~20 M with typical MIS data quality and can be overridden from configuration or re-estimated by {@link EmEstimator}.
 */
public final class MatchWeights {
    private final Map<MatchField, double[]> m;
    private final Map<MatchField, double[]> u;
    private final double[][] weights;

    private MatchWeights(Map<MatchField, double[]> m, Map<MatchField, double[]> u) {
        this.m = m;
        this.u = u;
        this.weights = new double[MatchField.values().length][];
        for (MatchField f : MatchField.values()) {
            double[] mf = m.get(f);
            double[] uf = u.get(f);
            if (mf.length != f.levels || uf.length != f.levels) {
                throw new IllegalArgumentException(f + " needs " + f.levels + " m and u probabilities");
            }
            double[] w = new double[f.levels];
            for (int l = 0; l < f.levels; l++) {
                if (!(mf[l] > 0 && mf[l] < 1 && uf[l] > 0 && uf[l] < 1)) {
                    throw new IllegalArgumentException(f + " level " + l + ": m and u must be in (0, 1)");
                }
                w[l] = Math.log(mf[l] / uf[l]) / Math.log(2);
            }
            weights[f.ordinal()] = w;
        }
    }

    public static MatchWeights defaults() {
        Map<MatchField, double[]> m = new EnumMap<>(MatchField.class);
        Map<MatchField, double[]> u = new EnumMap<>(MatchField.class);
        m.put(MatchField.IIN, new double[] {0.92, 0.04, 0.01, 0.03});
        u.put(MatchField.IIN, new double[] {1e-6, 1e-4, 1e-5, 0.99989});
        m.put(MatchField.LAST_NAME, new double[] {0.84, 0.06, 0.02, 0.08});
        u.put(MatchField.LAST_NAME, new double[] {0.003, 0.004, 0.015, 0.978});
        m.put(MatchField.FIRST_NAME, new double[] {0.9, 0.075, 0.015, 0.01});
        // a different first name is strong evidence against: it is what tells twins and siblings apart
        u.put(MatchField.FIRST_NAME, new double[] {0.01, 0.006, 0.03, 0.954});
        m.put(MatchField.MIDDLE_NAME, new double[] {0.88, 0.06, 0.02, 0.04});
        u.put(MatchField.MIDDLE_NAME, new double[] {0.02, 0.01, 0.02, 0.95});
        m.put(MatchField.BIRTH_DATE, new double[] {0.93, 0.03, 0.03, 0.01});
        u.put(MatchField.BIRTH_DATE, new double[] {4e-5, 4e-5, 5e-4, 0.99942});
        m.put(MatchField.SEX, new double[] {0.985, 0.015});
        u.put(MatchField.SEX, new double[] {0.5, 0.5});
        m.put(MatchField.PHONE, new double[] {0.6, 0.4});
        // families share a phone and an address, so agreement there is weaker evidence than it looks
        u.put(MatchField.PHONE, new double[] {0.003, 0.997});
        m.put(MatchField.ADDRESS, new double[] {0.5, 0.2, 0.3});
        u.put(MatchField.ADDRESS, new double[] {0.02, 0.03, 0.95});
        return new MatchWeights(m, u);
    }

    public static MatchWeights of(Map<MatchField, double[]> m, Map<MatchField, double[]> u) {
        return new MatchWeights(new EnumMap<>(m), new EnumMap<>(u));
    }

    /** A copy with one field's probabilities replaced. */
    public MatchWeights with(MatchField field, double[] mField, double[] uField) {
        Map<MatchField, double[]> m2 = new EnumMap<>(m);
        Map<MatchField, double[]> u2 = new EnumMap<>(u);
        m2.put(field, mField.clone());
        u2.put(field, uField.clone());
        return new MatchWeights(m2, u2);
    }

    public double weight(MatchField field, int level) {
        return level < 0 ? 0.0 : weights[field.ordinal()][level];
    }

    /** The highest weight any level of the field can give. */
    public double best(MatchField field) {
        double best = Double.NEGATIVE_INFINITY;
        for (double w : weights[field.ordinal()]) {
            best = Math.max(best, w);
        }
        return best;
    }

    public double[] m(MatchField field) {
        return m.get(field).clone();
    }

    public double[] u(MatchField field) {
        return u.get(field).clone();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (MatchField f : MatchField.values()) {
            sb.append(f).append(" m=").append(Arrays.toString(m.get(f))).append(" u=").append(Arrays.toString(u.get(f)))
                    .append('\n');
        }
        return sb.toString();
    }
}
