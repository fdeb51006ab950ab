package kz.ehr.console.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records/s over the last minutes, from ingestion's received-record totals sampled each time someone looks at the
 * Platform page (the console holds no token of its own, so it samples only on a signed-in person's behalf). Kept in
 * memory: a restarted console starts a new line, which the page says.
 */
@ApplicationScoped
public class RateHistory {
    static final int MAX_SAMPLES = 120;
    static final Duration WINDOW = Duration.ofMinutes(30);

    public record Sample(Instant at, long total) {
    }

    public record Point(Instant at, double perSecond) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Adds a sample (a total lower than the last one means ingestion's counts were reset: the line starts again). */
    public synchronized void add(Instant at, long total) {
        Sample last = samples.peekLast();
        if (last != null && (total < last.total() || !at.isAfter(last.at()))) {
            if (total < last.total()) {
                samples.clear();
            } else {
                return;
            }
        }
        samples.addLast(new Sample(at, total));
        while (samples.size() > MAX_SAMPLES || samples.peekFirst().at().isBefore(at.minus(WINDOW))) {
            samples.removeFirst();
        }
    }

    /** The rate between each two neighbouring samples, oldest first. */
    public synchronized List<Point> rates() {
        List<Point> points = new ArrayList<>();
        Sample previous = null;
        for (Sample s : samples) {
            if (previous != null) {
                double seconds = Duration.between(previous.at(), s.at()).toMillis() / 1000.0;
                points.add(new Point(s.at(), (s.total() - previous.total()) / seconds));
            }
            previous = s;
        }
        return points;
    }
}
