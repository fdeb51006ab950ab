package kz.ehr.mpi.linking;

import java.util.Arrays;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import kz.ehr.mpi.config.MpiConfig;
import kz.ehr.mpi.matching.FellegiSunterScorer;
import kz.ehr.mpi.matching.MatchField;
import kz.ehr.mpi.matching.MatchWeights;
import kz.ehr.mpi.matching.Matcher;

/** Builds the matcher from configuration: default m/u with per-field overrides, and the two thresholds. */
@ApplicationScoped
public class MatcherProducer {

    @Produces
    @ApplicationScoped
    Matcher matcher(MpiConfig config) {
        MatchWeights w = MatchWeights.defaults();
        for (MatchField f : MatchField.values()) {
            String name = f.name().toLowerCase(Locale.ROOT).replace('_', '-');
            String m = config.matching().m().get(name);
            String u = config.matching().u().get(name);
            if (m != null || u != null) {
                w = w.with(f, m == null ? w.m(f) : parse(m), u == null ? w.u(f) : parse(u));
            }
        }
        return new Matcher(new FellegiSunterScorer(w), config.matching().upperThreshold(), config.matching().lowerThreshold());
    }

    @Produces
    @ApplicationScoped
    LinkingEngine engine(Matcher matcher) {
        return new LinkingEngine(matcher);
    }

    private static double[] parse(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
    }
}
