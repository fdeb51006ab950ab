package kz.ehr.security;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who made an API request and why, as an audit row records it. {@code who} comes from the verified bearer token,
 * never from a header the caller could type; {@code purpose} is the caller's stated reason (header
 * {@value #PURPOSE_HEADER}), decoded from the agreed header encoding ({@link Purpose}) and bounded.
 */
public record Caller(String who, String purpose) {
    public static final String PURPOSE_HEADER = "X-Purpose";

    public static Caller of(SecurityIdentity identity, String purpose) {
        String who = identity == null || identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        return new Caller(who, Purpose.of(purpose));
    }

    /** Someone named by a verified token elsewhere (the shared ops endpoints), with the purpose header as it came. */
    public static Caller named(String who, String purposeHeader) {
        return new Caller(who, Purpose.of(purposeHeader));
    }
}
