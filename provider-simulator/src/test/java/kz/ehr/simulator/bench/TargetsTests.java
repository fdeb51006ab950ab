package kz.ehr.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Issue #14's targets scaled by a run's raw rates: rates scale up with a faster host, the catch-up limit down. */
class TargetsTests {
    @Test
    void a_host_as_fast_as_the_reference_is_held_to_the_targets_as_written() {
        Map<String, Targets.Scaled> t = Targets.of(6_000, 9_999, 60, 190_000, 45_000);

        assertThat(t.get("whole").byKafka()).isEqualTo(6_000);
        assertThat(t.get("whole").byPostgres()).isEqualTo(6_000);
        assertThat(t.get("whole").metByKafka()).isTrue();
        assertThat(t.get("accepted").metByPostgres()).isFalse();
        assertThat(t.get("behind").byKafka()).isEqualTo(60);
        assertThat(t.get("behind").metByPostgres()).isTrue();
    }

    @Test
    void the_two_scales_can_disagree_and_both_are_reported() {
        // the warm run of 2026-12-05 21:16 UTC: raw Kafka slower than the reference, raw PostgreSQL faster
        Map<String, Targets.Scaled> t = Targets.of(4_870, 6_998, 62.5, 145_642, 47_661);

        assertThat(Math.round(t.get("whole").byKafka())).isEqualTo(4_599);
        assertThat(Math.round(t.get("whole").byPostgres())).isEqualTo(6_355);
        assertThat(t.get("whole").metByKafka()).isTrue();
        assertThat(t.get("whole").metByPostgres()).isFalse();
        assertThat(t.get("behind").byKafka()).isCloseTo(78.3, org.assertj.core.data.Offset.offset(0.05));
        assertThat(t.get("behind").metByKafka()).isTrue();
        assertThat(t.get("behind").metByPostgres()).isFalse();
        assertThat(Targets.summary(t)).isEqualTo("whole met / not met, accepted not met / not met, behind met / not met");
        assertThat(Targets.describe(t, 1_000_000)).startsWith("whole pipeline ≥ 6,000 records/s: 4,870 against 4,599 by raw Kafka (met), "
                + "6,355 by raw PostgreSQL (not met); accepted")
                .contains("no service more than 60 s behind when the load ends: 62.5 s against 78.3 s by raw Kafka (met), 56.7 s by raw PostgreSQL (not met)");
    }

    @Test
    void a_run_of_another_size_says_the_targets_are_for_a_million_records() {
        assertThat(Targets.describe(Targets.of(1, 1, 1, 190_000, 45_000), 200_000))
                .startsWith("(the targets are for 1,000,000 records; this run had 200,000) ");
    }
}
