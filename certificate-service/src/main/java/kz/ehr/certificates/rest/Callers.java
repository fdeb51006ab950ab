package kz.ehr.certificates.rest;

import io.quarkus.security.identity.SecurityIdentity;
import kz.ehr.certificates.issuance.IssuanceException;
import kz.ehr.security.Caller;

/** The caller of a staff endpoint as the audit log records it: who from the verified token, why from X-Purpose. */
final class Callers {
    private Callers() {
    }

    /** For reads of a person's data: without a stated purpose there is nothing to audit the read against. */
    static Caller withPurpose(SecurityIdentity identity, String purpose) {
        return Caller.withPurpose(identity, purpose).orElseThrow(() -> new IssuanceException(
                IssuanceException.Kind.INVALID_REQUEST, "PURPOSE_REQUIRED", Caller.PURPOSE_HEADER,
                "reading a person's data needs the reason in header " + Caller.PURPOSE_HEADER
                        + " (e.g. \"driver licence check\"); it goes into the audit log", null));
    }
}
