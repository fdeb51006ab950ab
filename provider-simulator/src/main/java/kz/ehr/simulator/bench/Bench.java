package kz.ehr.simulator.bench;

/** Placeholder replaced below. */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        throw new UnsupportedOperationException("bench not built yet");
    }
}
