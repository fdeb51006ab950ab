package kz.ehr.security;

import java.util.Optional;

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

    /**
     * The one purpose check of a read of personal data: the caller, if they stated why (decoded, not blank); empty
     * otherwise, and the service refuses with its {@code PURPOSE_REQUIRED} problem.
     */
    public static Optional<Caller> withPurpose(SecurityIdentity identity, String purposeHeader) {
        Caller caller = of(identity, purposeHeader);
        return caller.purpose() == null ? Optional.empty() : Optional.of(caller);
    }

    /** Someone named by a verified token elsewhere (the shared ops endpoints), with the purpose header as it came. */
    public static Caller named(String who, String purposeHeader) {
        return new Caller(who, Purpose.of(purposeHeader));
    }
}
