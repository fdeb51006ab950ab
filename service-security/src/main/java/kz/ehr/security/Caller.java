package kz.ehr.security;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who made an API request and why, as an audit row records it. {@code who} comes from the verified bearer token,
 * never from a header the caller could type; {@code purpose} is the caller's stated reason (header
 * {@value #PURPOSE_HEADER}), kept verbatim but bounded.
 */
public record Caller(String who, String purpose) {
    public static final String PURPOSE_HEADER = "X-Purpose";

    public static Caller of(SecurityIdentity identity, String purpose) {
        String who = identity == null || identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        String why = purpose == null || purpose.isBlank() ? null : purpose.strip();
        return new Caller(who, why == null || why.length() <= 200 ? why : why.substring(0, 200));
    }
}
