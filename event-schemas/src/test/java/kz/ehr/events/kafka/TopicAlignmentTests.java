package kz.ehr.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class TopicAlignmentTests {
    static final TopicPartition REGISTRY_0 = new TopicPartition("registry", 0);
    static final TopicPartition REGISTRY_1 = new TopicPartition("registry", 1);
    static final TopicPartition CARE_0 = new TopicPartition("care", 0);
    final TopicAlignment alignment = new TopicAlignment(Set.of("registry"), Set.of("care"), 1_000, 10_000);

    static List<ConsumerRecord<String, byte[]>> care(long... timestamps) {
        return LongStream.range(0, timestamps.length).mapToObj(i -> new ConsumerRecord<String, byte[]>("care", 0, 100 + i,
                timestamps[(int) i], TimestampType.CREATE_TIME, 0, 0, "k", new byte[0], new RecordHeaders(), Optional.empty()))
                .toList();
    }

    @Test
    void aFollowerRecordGoesOnlyOnceEveryLeaderPartitionWasReadPastItsTimePlusTheSlack() {
        alignment.leaderRead(REGISTRY_0, 50_000);
        alignment.leaderRead(REGISTRY_1, 20_000);
        long w = alignment.watermark(List.of(REGISTRY_0, REGISTRY_1, CARE_0), tp -> false, 0);
        assertThat(w).as("the slowest leader partition").isEqualTo(20_000);
        // 18,999 + 1 s < 20,000 goes; 19,000 + 1 s is not behind the leaders yet, and everything after it waits
        assertThat(alignment.releasable(CARE_0, care(10_000, 18_999, 19_000, 5_000), w, 0)).isEqualTo(2);
        assertThat(alignment.isHeld(CARE_0)).isTrue();
        assertThat(alignment.resumable(w, 1)).isEmpty();
        alignment.leaderRead(REGISTRY_1, 20_001);
        assertThat(alignment.resumable(alignment.watermark(List.of(REGISTRY_0, REGISTRY_1), tp -> false, 2), 2))
                .as("the leaders are past the waiting record now").containsExactly(CARE_0);
        assertThat(alignment.isHeld(CARE_0)).isFalse();
    }

    @Test
    void leadersWithNothingLeftToReadHoldNothingAndOneNotReadYetHoldsEverything() {
        alignment.leaderRead(REGISTRY_0, 1_000);
        assertThat(alignment.watermark(List.of(REGISTRY_0, REGISTRY_1), tp -> true, 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(alignment.releasable(CARE_0, care(5_000_000), Long.MAX_VALUE, 0)).isEqualTo(1);
        long w = alignment.watermark(List.of(REGISTRY_0, REGISTRY_1), tp -> tp.equals(REGISTRY_0), 0);
        assertThat(w).as("registry-1 has records and none was read").isEqualTo(Long.MIN_VALUE);
        assertThat(alignment.releasable(CARE_0, care(1), w, 0)).isZero();
        // a partition the loop does not own, or a follower, does not count
        assertThat(alignment.watermark(List.of(REGISTRY_0, CARE_0), tp -> false, 0)).isEqualTo(1_000);
    }

    @Test
    void aFollowerWaitsAtMostTheMaximumHoldWhileTheLeadersDoNotMoveThenItsRecordsGoWhateverTheLeadersDid() {
        alignment.leaderRead(REGISTRY_0, 1_000);
        long w = alignment.watermark(List.of(REGISTRY_0), tp -> false, 0);
        assertThat(alignment.releasable(CARE_0, care(5_000, 6_000), w, 0)).isZero();
        assertThat(alignment.resumable(w, 9_999)).isEmpty();
        assertThat(alignment.resumable(w, 10_000)).as("waited 10 s").containsExactly(CARE_0);
        // polled again: all of it goes, though the leaders did not move; the next hold starts a new wait
        assertThat(alignment.releasable(CARE_0, care(5_000, 6_000), w, 10_050)).isEqualTo(2);
        assertThat(alignment.releasable(CARE_0, care(7_000), w, 10_100)).isZero();
        assertThat(alignment.resumable(w, 19_000)).isEmpty();
    }

    @Test
    void aFollowerWaitsAsLongAsTheLeadersKeepMovingTowardsItsTime() {
        alignment.leaderRead(REGISTRY_0, 1_000);
        long w = alignment.watermark(List.of(REGISTRY_0), tp -> false, 0);
        assertThat(alignment.releasable(CARE_0, care(60_000), w, 0)).isZero();
        // billing far behind: the registry moves every few seconds but needs a minute to reach the visit's time
        for (long now = 5_000, readTo = 2_000; now <= 55_000; now += 5_000, readTo += 5_000) {
            alignment.leaderRead(REGISTRY_0, readTo);
            w = alignment.watermark(List.of(REGISTRY_0), tp -> false, now);
            assertThat(alignment.resumable(w, now)).as("leaders still moving at %d ms", now).isEmpty();
        }
        alignment.leaderRead(REGISTRY_0, 61_001);
        assertThat(alignment.resumable(alignment.watermark(List.of(REGISTRY_0), tp -> false, 60_000), 60_000))
                .as("caught up with the visit").containsExactly(CARE_0);
    }

    @Test
    void aRebalanceOrARewindForgetsWhatWasReadAndWhatWaits() {
        alignment.leaderRead(REGISTRY_0, 1_000);
        alignment.releasable(CARE_0, care(9_000), 1_000, 0);
        alignment.forget(List.of(REGISTRY_0, CARE_0));
        assertThat(alignment.isHeld(CARE_0)).isFalse();
        assertThat(alignment.watermark(List.of(REGISTRY_0), tp -> false, 0)).isEqualTo(Long.MIN_VALUE);
        alignment.leaderRead(REGISTRY_0, 1_000);
        alignment.releasable(CARE_0, care(9_000), 1_000, 0);
        alignment.forgetAll();
        assertThat(alignment.isHeld(CARE_0)).isFalse();
        assertThat(alignment.resumable(Long.MAX_VALUE, 0)).isEmpty();
    }
}
