package kz.ehr.simulator.output;

/** Holds a stream to a target rate (records per second); a rate of 0 or less means as fast as possible. */
final class Pacer {
    private final double ratePerSecond;
    private final long started = System.nanoTime();
    private long permits;

    Pacer(double ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
    }

    void await(int n) throws InterruptedException {
        if (ratePerSecond <= 0) {
            return;
        }
        permits += n;
        long due = started + (long) (permits / ratePerSecond * 1e9);
        long ahead = due - System.nanoTime();
        if (ahead > 1_000_000) {
            Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
        }
    }
}
