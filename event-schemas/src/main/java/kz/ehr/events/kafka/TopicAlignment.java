package kz.ehr.events.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Keeps one consumer's reading of some topics (the followers) from running ahead in time of others it also reads (the
 * leaders). Billing reads visits from {@code ehr.care.v1} and the insurance and attachment they are screened against
 * from {@code ehr.registry.v1}. The Kafka client hands a consumer whatever it fetched, partition by partition, so under
 * load the care topic ran tens of seconds ahead of the registry topic (median 27 s in a 1,000,000-record pipeline run):
 * a visit was screened before the insurance record its provider had sent in the same batch, raised
 * {@code GHOST_PATIENT}, and the insurance withdrew the flag a moment later; 136,222 flags were raised and withdrawn so,
 * each one written, published and taken back.
 * <p>
 * The rule: a follower record is handed over only once every leader partition the consumer owns has been read past its
 * timestamp plus {@link #slackMs} (records of one provider batch are published within that), or has nothing left to read.
 * A follower partition whose next record must wait is sought back to it and paused; it is resumed as soon as the leaders
 * have caught up with that record. It waits as long as the leaders keep moving: once they have not moved for
 * {@link #maxHoldMs} (a leader that cannot be read, or whose lag is not known) its records go whatever the leaders did,
 * so a stuck leader delays the followers, never stops them. (A fixed limit per wait let visits go ahead whenever
 * billing was more than that behind: 7,165 provisional flags in a warm 1,000,000-record run.) Nothing is skipped or
 * reordered within a partition; only the interleaving of topics changes. Timestamps are the producer's
 * ({@code CreateTime}).
 * <p>
 * Decisions only: the loop ({@link BatchConsumerLoop#alignedTo}) seeks, pauses and resumes. Owned by the loop thread.
 */
final class TopicAlignment {
    private final Set<String> leaders;
    private final Set<String> followers;
    private final long slackMs;
    private final long maxHoldMs;
    /** Timestamp of the last record handed over, per leader partition. */
    private final Map<TopicPartition, Long> leaderReadTo = new HashMap<>();
    /** Per paused follower partition: the timestamp of the record it waits with, and since when (ms) it waits. */
    private final Map<TopicPartition, long[]> held = new HashMap<>();
    /** The leaders' last watermark seen, and when (ms) it last moved. */
    private long lastWatermark = Long.MIN_VALUE;
    private long movedAt;

    TopicAlignment(Set<String> leaders, Set<String> followers, long slackMs, long maxHoldMs) {
        this.leaders = Set.copyOf(leaders);
        this.followers = Set.copyOf(followers);
        this.slackMs = slackMs;
        this.maxHoldMs = maxHoldMs;
    }

    boolean isLeader(TopicPartition tp) {
        return leaders.contains(tp.topic());
    }

    boolean isFollower(TopicPartition tp) {
        return followers.contains(tp.topic());
    }

    /** A leader partition's records up to {@code timestamp} have been handed over. */
    void leaderRead(TopicPartition tp, long timestamp) {
        leaderReadTo.merge(tp, timestamp, Math::max);
    }

    /**
     * How far in time every owned leader partition has been read: the smallest read-to timestamp among those that still
     * have something to read ({@code caughtUp} false), {@link Long#MAX_VALUE} when none has. A partition not read yet
     * that has something to read holds everything ({@link Long#MIN_VALUE}). Notes when it last moved ({@code nowMs}).
     */
    long watermark(Collection<TopicPartition> owned, Predicate<TopicPartition> caughtUp, long nowMs) {
        long w = Long.MAX_VALUE;
        for (TopicPartition tp : owned) {
            if (isLeader(tp) && !caughtUp.test(tp)) {
                w = Math.min(w, leaderReadTo.getOrDefault(tp, Long.MIN_VALUE));
            }
        }
        if (w > lastWatermark) {
            movedAt = nowMs;
        }
        lastWatermark = w;
        return w;
    }

    /**
     * How many of a follower partition's records (in offset order) may be handed over now: those before the first that
     * is not yet behind the leaders. When that is not all of them the partition waits from that record on, unless it
     * has waited while the leaders did not move for {@link #maxHoldMs}: then all of them go, and its wait starts afresh
     * at the next hold.
     */
    <K, V> int releasable(TopicPartition tp, List<ConsumerRecord<K, V>> records, long watermark, long nowMs) {
        int i = 0;
        while (i < records.size() && behindLeaders(records.get(i).timestamp(), watermark)) {
            i++;
        }
        if (i == records.size()) {
            held.remove(tp);
            return i;
        }
        long[] wait = held.get(tp);
        if (wait != null && waitedOut(wait, nowMs)) {
            held.remove(tp);
            return records.size();
        }
        held.put(tp, new long[] {records.get(i).timestamp(), wait != null ? wait[1] : nowMs});
        return i;
    }

    /**
     * The waiting follower partitions that may be read again: those the leaders caught up with (their wait is over) and
     * those that waited while the leaders did not move for {@link #maxHoldMs} (their next records all go, see
     * {@link #releasable}).
     */
    Set<TopicPartition> resumable(long watermark, long nowMs) {
        Set<TopicPartition> out = new HashSet<>();
        held.entrySet().removeIf(e -> {
            boolean caughtUp = behindLeaders(e.getValue()[0], watermark);
            if (caughtUp || waitedOut(e.getValue(), nowMs)) {
                out.add(e.getKey());
            }
            return caughtUp;
        });
        return out;
    }

    boolean isHeld(TopicPartition tp) {
        return held.containsKey(tp);
    }

    /** Forgets what a rebalance took away, or everything after a rewind to the committed offsets. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            leaderReadTo.remove(tp);
            held.remove(tp);
        });
    }

    void forgetAll() {
        leaderReadTo.clear();
        held.clear();
        lastWatermark = Long.MIN_VALUE;
    }

    /** Waited {@link #maxHoldMs} since the wait began or the leaders last moved, whichever was later. */
    private boolean waitedOut(long[] wait, long nowMs) {
        return nowMs - Math.max(wait[1], movedAt) >= maxHoldMs;
    }

    private boolean behindLeaders(long timestamp, long watermark) {
        return watermark == Long.MAX_VALUE || (watermark != Long.MIN_VALUE && timestamp + slackMs < watermark);
    }
}
