package kz.ehr.events.kafka;

import java.time.Duration;
import java.time.Instant;

/**
 * What a {@link BatchConsumerLoop} last published about itself, safe to read from any thread.
 *
 * @param group        the consumer group
 * @param alive        whether the loop's thread is running
 * @param lag          messages on its partitions not yet handled (log end minus the next offset to handle), or -1
 *                     when it could not be read
 * @param lastProgress when it last committed a batch or saw itself caught up
 * @param failure      the redacted error its thread stopped on, or null
 */
public record ConsumerLoopHealth(String group, boolean alive, long lag, Instant lastProgress, String failure) {

    /**
     * A loop is ready while its thread runs and it either has nothing to do or made progress within
     * {@code stallAfter}. A lag that could not be read counts as work: a loop that cannot even see the broker and
     * made no progress is not keeping up.
     */
    public boolean ready(Instant now, Duration stallAfter) {
        if (!alive) {
            return false;
        }
        return lag == 0 || Duration.between(lastProgress, now).compareTo(stallAfter) <= 0;
    }

    public long secondsSinceProgress(Instant now) {
        return Math.max(0, Duration.between(lastProgress, now).toSeconds());
    }
}
