package kz.ehr.certificates.revocation;

import java.sql.SQLException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import kz.ehr.certificates.issuance.CertificateIssuer;
import kz.ehr.certificates.issuance.IssuanceException;
import kz.ehr.certificates.issuance.IssuedCertificate;
import kz.ehr.security.Caller;

/**
 * Revocation by a person's decision: through {@link CertificateRevoker} like every event-driven revocation (the row,
 * the REVOKED event in the outbox, the public lists and verification by {@code revoked_xid}), plus the decision itself.
 * Idempotent: a certificate already revoked (by hand or by an event) stays as it was and its revocation is returned.
 */
@ApplicationScoped
public class ManualRevocations {
    /** Longer comments belong in the case file the comment can name. */
    public static final int MAX_COMMENT = 2000;

    @Inject
    CertificateRevoker revoker;
    @Inject
    CertificateIssuer certificates;

    /** The certificate after the call, and the decision that revoked it by hand (empty when an event revoked it). */
    public record Outcome(IssuedCertificate certificate, Optional<ManualRevocation> decision, boolean revokedNow) {
    }

    @Transactional
    public Outcome revoke(String number, String reasonCode, String comment, Caller caller) throws SQLException {
        ManualRevocationReason reason = ManualRevocationReason.parse(reasonCode).orElseThrow(() -> invalid(
                reasonCode == null ? "REASON_REQUIRED" : "UNKNOWN_REVOCATION_REASON", "reason",
                "reason must be one of " + ManualRevocationReason.codes()));
        String text = comment == null ? "" : comment.strip();
        if (text.isEmpty()) {
            throw invalid("COMMENT_REQUIRED", "comment", "say in a comment what the decision rests on");
        }
        if (text.length() > MAX_COMMENT) {
            throw invalid("COMMENT_TOO_LONG", "comment", "a comment has at most " + MAX_COMMENT + " characters");
        }
        if (certificates.find(number).isEmpty()) {
            throw new IssuanceException(IssuanceException.Kind.NOT_FOUND, "CERTIFICATE_NOT_FOUND", null,
                    "no certificate " + number, null);
        }
        boolean revokedNow = revoker.revokeOne(number, reason.name(), "manual-revocation:" + number);
        IssuedCertificate after = certificates.find(number).orElseThrow();
        if (revokedNow) {
            ManualRevocation d = new ManualRevocation();
            d.number = number;
            d.reason = reason.name();
            d.comment = text;
            d.actor = caller.who();
            d.purpose = caller.purpose();
            d.decidedAt = after.revokedAt();
            d.persist();
        }
        return new Outcome(after, decision(number), revokedNow);
    }

    public Optional<ManualRevocation> decision(String number) {
        return ManualRevocation.findByIdOptional(number);
    }

    private static IssuanceException invalid(String code, String field, String detail) {
        return new IssuanceException(IssuanceException.Kind.INVALID_REQUEST, code, field, detail, null);
    }
}
