package kz.ehr.certificates.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientRateLimiterTests {
    static final long MS = 1_000_000L;

    /** rate/s, burst, then "client@ms" requests in order, and the expected answers (ok or the Retry-After seconds). */
    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("a burst is allowed, the next request waits for a token", 10, 3,
                        List.of("a@0", "a@0", "a@0", "a@0"), List.of("ok", "ok", "ok", "1")),
                Arguments.of("tokens come back at the rate", 10, 2,
                        List.of("a@0", "a@0", "a@0", "a@100", "a@100", "a@300", "a@300", "a@300"),
                        List.of("ok", "ok", "1", "ok", "1", "ok", "ok", "1")),
                Arguments.of("a second client has a bucket of its own", 1, 1,
                        List.of("a@0", "a@0", "b@0", "b@0"), List.of("ok", "1", "ok", "1")),
                Arguments.of("Retry-After is the wait for one token, rounded up", 0.25, 1,
                        List.of("a@0", "a@0", "a@1000", "a@4100"), List.of("ok", "4", "3", "ok")),
                Arguments.of("an idle client never holds more than the burst", 100, 2,
                        List.of("a@0", "a@60000", "a@60000", "a@60000"), List.of("ok", "ok", "ok", "1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void answers(String name, double rate, int burst, List<String> requests, List<String> expected) {
        AtomicLong clock = new AtomicLong();
        ClientRateLimiter limiter = new ClientRateLimiter(rate, burst, 1000, clock::get);
        List<String> answers = new ArrayList<>();
        for (String r : requests) {
            String[] p = r.split("@");
            clock.set(Long.parseLong(p[1]) * MS);
            ClientRateLimiter.Decision d = limiter.tryAcquire(p[0]);
            answers.add(d.allowed() ? "ok" : Long.toString(d.retryAfterSeconds()));
        }
        assertThat(answers).isEqualTo(expected);
    }

    @Test
    void aFloodOfNewAddressesSharesOneBucketInsteadOfGrowingMemoryOrEscapingTheLimit() {
        AtomicLong clock = new AtomicLong();
        ClientRateLimiter limiter = new ClientRateLimiter(1, 2, 3, clock::get);
        int allowed = 0;
        for (int i = 0; i < 50; i++) {
            allowed += limiter.tryAcquire("10.0.0." + i).allowed() ? 1 : 0;
        }
        assertThat(limiter.trackedClients()).isLessThanOrEqualTo(3);
        // one request each from the three addresses with a bucket of their own, then the overflow bucket of 2
        // shared by the other 47 addresses
        assertThat(allowed).isEqualTo(3 + 2);
    }

    @Test
    void idleClientsAreForgottenWhenRoomIsNeeded() {
        AtomicLong clock = new AtomicLong();
        ClientRateLimiter limiter = new ClientRateLimiter(1, 1, 2, clock::get);
        limiter.tryAcquire("a");
        limiter.tryAcquire("b");
        clock.set(5_000 * MS); // both buckets are full again: nothing to remember
        assertThat(limiter.tryAcquire("c").allowed()).isTrue();
        assertThat(limiter.tryAcquire("c").allowed()).isFalse();
        assertThat(limiter.tryAcquire("d").allowed()).isTrue();
        assertThat(limiter.trackedClients()).isEqualTo(2);
    }
}
