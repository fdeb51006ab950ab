package kz.ehr.certificates.verification;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client: {@code burst} requests at once, then {@code ratePerSecond} on average. Plain Java with
 * its own clock so the arithmetic is tested without waiting. Memory is bounded: when more than
 * {@code maxClients} buckets exist, the ones that have refilled completely (idle clients) are dropped, at most once
 * a second; if that is not enough, new clients share a single overflow bucket rather than being let through.
 */
public final class ClientRateLimiter {
    /** Whether the request may proceed; if not, how many whole seconds until one more token is there. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
        static final Decision ALLOWED = new Decision(true, 0);
    }

    private final double tokensPerNano;
    private final double burst;
    private final int maxClients;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Bucket overflow;
    private volatile long lastSweep;

    public ClientRateLimiter(double ratePerSecond, int burst, int maxClients, LongSupplier nanoClock) {
        if (ratePerSecond <= 0 || burst < 1 || maxClients < 1) {
            throw new IllegalArgumentException("rate must be > 0, burst and max clients >= 1");
        }
        this.tokensPerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.maxClients = maxClients;
        this.nanoClock = nanoClock;
        this.lastSweep = nanoClock.getAsLong();
        this.overflow = new Bucket(burst, lastSweep);
    }

    public Decision tryAcquire(String client) {
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            if (buckets.size() >= maxClients) {
                sweep(now);
            }
            bucket = buckets.size() >= maxClients ? overflow : buckets.computeIfAbsent(client, k -> new Bucket(burst, now));
        }
        synchronized (bucket) {
            bucket.refill(now, tokensPerNano, burst);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Decision.ALLOWED;
            }
            double nanosToNext = (1 - bucket.tokens) / tokensPerNano;
            return new Decision(false, Math.max(1, (long) Math.ceil(nanosToNext / 1e9)));
        }
    }

    int trackedClients() {
        return buckets.size();
    }

    private void sweep(long now) {
        if (now - lastSweep < 1_000_000_000L) {
            return;
        }
        lastSweep = now;
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                e.getValue().refill(now, tokensPerNano, burst);
                return e.getValue().tokens >= burst;
            }
        });
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        void refill(long now, double tokensPerNano, double burst) {
            if (now > updated) {
                tokens = Math.min(burst, tokens + (now - updated) * tokensPerNano);
                updated = now;
            }
        }
    }
}
