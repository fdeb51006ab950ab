package kz.ehr.mpi.config;

import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every tunable of the patient index. */
@ConfigMapping(prefix = "ehr.mpi")
public interface MpiConfig {

    /** Matching thresholds and probabilities. */
    Matching matching();

    /**
     * Most PATIENT records linked in one transaction; it is linked in steps of 1,000 whose candidates are read ahead
     * on a second connection, so a bigger batch keeps both cores busy.
     */
    @WithDefault("5000")
    int batchSize();

    /** Most candidates a fuzzy search returns. */
    @WithDefault("20")
    int searchLimit();

    interface Matching {
        /** Fellegi-Sunter score (log2 units) at or above which a record is linked automatically. */
        @WithDefault("29")
        double upperThreshold();

        /** Score at or above which (and below the upper) a pair goes to the review queue. */
        @WithDefault("12")
        double lowerThreshold();

        /**
         * Overrides of m probabilities per field, e.g. {@code ehr.mpi.matching.m.last-name=0.84,0.06,0.02,0.08}
         * (one value per agreement level, see MatchField); fields not named keep the defaults.
         */
        Map<String, String> m();

        /** Overrides of u probabilities per field, same format as {@code m}. */
        Map<String, String> u();
    }
}
