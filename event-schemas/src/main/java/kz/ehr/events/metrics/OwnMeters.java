package kz.ehr.events.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters one bean registered, taken out of the registry again when the bean stops. The registry can outlive the
 * bean (Micrometer's global composite stays when Quarkus restarts an application in the same JVM, as tests do): a
 * meter left there would be handed back to the next start and read this stopped bean (a closed data source, a
 * stopped loop's lag).
 */
public final class OwnMeters {
    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    /** Remembers {@code meter} (just registered) and returns it. */
    public <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    /** Removes every meter added so far from {@code registry}. */
    public void removeFrom(MeterRegistry registry) {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
