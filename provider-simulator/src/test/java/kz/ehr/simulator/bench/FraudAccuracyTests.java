package kz.ehr.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import kz.ehr.simulator.fraud.FraudType;

class FraudAccuracyTests {
    @Test
    @SuppressWarnings("unchecked")
    void each_rule_counts_its_true_and_false_positives_and_the_visits_of_its_kind_it_caught_and_missed() {
        Map<String, FraudType> labels = Map.of("v1", FraudType.DOUBLE_ATTACHMENT, "v2", FraudType.DOUBLE_ATTACHMENT,
                "v3", FraudType.GHOST_PATIENT);
        // v1 caught by its rule; v2 missed; v3 flagged by ATTACHED_TWICE (right: it is fraud, of another kind); g1 genuine
        Map<String, Set<String>> flagged = Map.of("v1", Set.of("ATTACHED_TWICE"), "v3", Set.of("ATTACHED_TWICE"),
                "g1", Set.of("ATTACHED_TWICE", "NOT_ATTACHED_NO_REFERRAL"));

        Map<String, Object> byRule = (Map<String, Object>) FraudAccuracy.score(flagged, labels).get("byRule");

        assertThat((Map<String, Object>) byRule.get("ATTACHED_TWICE")).containsEntry("flagged", 3L).containsEntry("truePositive", 2L)
                .containsEntry("falsePositive", 1L).containsEntry("labelled", 2L).containsEntry("caught", 1L).containsEntry("missed", 1L)
                .containsEntry("recall", 0.5);
        assertThat((Map<String, Object>) byRule.get("NOT_ATTACHED_NO_REFERRAL")).containsEntry("falsePositive", 1L)
                .containsEntry("precision", 0.0).doesNotContainKey("recall");
        assertThat((Map<String, Object>) byRule.get("GHOST_PATIENT")).containsEntry("flagged", 0L).containsEntry("caught", 0L)
                .containsEntry("missed", 1L);
    }
}
