package kz.ehr.certificates.rest;

import java.net.URI;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.certificates.audit.AccessAudit;
import kz.ehr.certificates.issuance.CertificateIssuer;
import kz.ehr.certificates.issuance.IssuanceException;
import kz.ehr.certificates.issuance.IssuedCertificate;
import kz.ehr.certificates.rendering.CertificateRenderer;
import kz.ehr.certificates.revocation.ManualRevocation;
import kz.ehr.certificates.revocation.ManualRevocationReason;
import kz.ehr.certificates.revocation.ManualRevocations;
import kz.ehr.certificates.verifier.QrPayload;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/**
 * Issue a certificate, and read it back as JSON, QR code or PDF: a clinician's system, with the reason in X-Purpose.
 * Why a certificate was revoked (a registration, a death) is read here too, by a clinician or an auditor, never through
 * the public verification. Every issue, refusal and read is audited: they all show the person's data.
 */
@Path("/api/v1/certificates")
@Blocking
public class CertificatesResource {
    @Inject
    CertificateIssuer issuer;
    @Inject
    CertificateRenderer renderer;
    @Inject
    AccessAudit audit;
    @Inject
    SecurityIdentity identity;
    @Inject
    ManualRevocations manualRevocations;

    public record IssueRequest(String iin, String type) {
    }

    public record CertificateView(String number, String type, String form, String iin, String name, String issuedAt,
                                  String expiresAt, String conclusion, String kid, String status, String revokedAt,
                                  String revocationReason, Map<String, Object> content, String token, String qr,
                                  Map<String, String> links) {
        static CertificateView of(IssuedCertificate c) {
            @SuppressWarnings("unchecked")
            Map<String, Object> content = (Map<String, Object>) c.claims().get("c");
            String base = "/api/v1/certificates/" + c.number();
            return new CertificateView(c.number(), c.type(), (String) c.claims().get("form"), c.iin(),
                    (String) c.claims().get("name"), c.issuedAt().toString(), c.expiresAt().toString(), c.conclusion(),
                    c.kid(), c.revokedAt() == null ? "ACTIVE" : "REVOKED", c.revokedAt() == null ? null : c.revokedAt().toString(),
                    c.revocationReason(), content, c.token(), QrPayload.encode(c.token()),
                    Map.of("qr", base + "/qr.png", "pdf", base + "/pdf", "revocation", base + "/revocation"));
        }
    }

    /**
     * A certificate's revocation as staff see it: when and why; {@code ACTIVE} with no time or reason when it stands.
     * {@code revokedBy} and {@code comment} name the person's decision when it was revoked by hand (null otherwise).
     */
    public record RevocationView(String number, String type, String status, String revokedAt, String reason,
                                 String revokedBy, String comment) {
        static RevocationView of(IssuedCertificate c, Optional<ManualRevocation> decision) {
            return new RevocationView(c.number(), c.type(), c.revokedAt() == null ? "ACTIVE" : "REVOKED",
                    c.revokedAt() == null ? null : c.revokedAt().toString(), c.revocationReason(),
                    decision.map(d -> d.actor).orElse(null), decision.map(d -> d.comment).orElse(null));
        }
    }

    /** A person's revocation: {@code reason} one of {@link ManualRevocationReason}, {@code comment} what it rests on. */
    public record RevokeRequest(String reason, String comment) {
    }

    @POST
    @RolesAllowed(Roles.CLINICIAN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response issue(IssueRequest request, @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        Caller caller = Callers.withPurpose(identity, purpose);
        if (request == null) {
            throw new IssuanceException(IssuanceException.Kind.INVALID_REQUEST, "BODY_MISSING", null,
                    "send {\"iin\", \"type\"}", null);
        }
        IssuedCertificate c;
        try {
            c = issuer.issue(request.iin(), request.type());
        } catch (IssuanceException e) {
            if (e.kind == IssuanceException.Kind.NOT_ELIGIBLE) {
                // the reasons tell about registrations and exams: that is a read of the person's health data
                audit.record(caller, AccessAudit.Action.ISSUE_REFUSED, null, request.iin());
            }
            throw e;
        }
        audit.record(caller, AccessAudit.Action.ISSUE, c.number(), c.iin());
        return Response.created(URI.create("/api/v1/certificates/" + c.number())).entity(CertificateView.of(c)).build();
    }

    /** The closed list a revocation's {@code reason} comes from, with what each means (for a form's choices). */
    public record ReasonView(String code, String description) {
    }

    @GET
    @RolesAllowed({Roles.REVIEWER, Roles.CLINICIAN})
    @Path("/revocation-reasons")
    @Produces(MediaType.APPLICATION_JSON)
    public java.util.List<ReasonView> revocationReasons() {
        return java.util.Arrays.stream(ManualRevocationReason.values()).map(r -> new ReasonView(r.name(), r.description)).toList();
    }

    @GET
    @RolesAllowed(Roles.CLINICIAN)
    @Path("/{number}")
    @Produces(MediaType.APPLICATION_JSON)
    public CertificateView get(@PathParam("number") String number, @HeaderParam(Caller.PURPOSE_HEADER) String purpose)
            throws SQLException {
        return CertificateView.of(audited(number, AccessAudit.Action.READ, purpose));
    }

    /**
     * Why a certificate was revoked: health data (a psychiatric, narcological or TB registration, a death), so staff
     * only, with a stated purpose, audited like any other read of the person's data. The auditor may read it too: a
     * revocation is a decision the platform made.
     */
    @GET
    @RolesAllowed({Roles.CLINICIAN, Roles.AUDITOR})
    @Path("/{number}/revocation")
    @Produces(MediaType.APPLICATION_JSON)
    public RevocationView revocation(@PathParam("number") String number, @HeaderParam(Caller.PURPOSE_HEADER) String purpose)
            throws SQLException {
        return RevocationView.of(audited(number, AccessAudit.Action.READ_REVOCATION, purpose), manualRevocations.decision(number));
    }

    /**
     * Revokes a certificate by a reviewer's decision (issued in error, to the wrong person, evidence withdrawn, document
     * compromised, the holder's request), through the same path as the event-driven revocations: the public
     * verification and the lists say REVOKED and when, never why. Idempotent: asking again, or for a certificate an
     * event already revoked, changes nothing and answers the revocation as it stands. Audited {@code REVOKE}.
     */
    @POST
    @RolesAllowed(Roles.REVIEWER)
    @Path("/{number}/revocation")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public RevocationView revoke(@PathParam("number") String number, RevokeRequest request,
                                 @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        Caller caller = Callers.withPurpose(identity, purpose);
        if (request == null) {
            throw new IssuanceException(IssuanceException.Kind.INVALID_REQUEST, "BODY_MISSING", null,
                    "send {\"reason\", \"comment\"}", null);
        }
        ManualRevocations.Outcome outcome = manualRevocations.revoke(number, request.reason(), request.comment(), caller);
        audit.record(caller, AccessAudit.Action.REVOKE, number, outcome.certificate().iin());
        return RevocationView.of(outcome.certificate(), outcome.decision());
    }

    @GET
    @RolesAllowed(Roles.CLINICIAN)
    @Path("/{number}/qr.png")
    @Produces("image/png")
    public byte[] qr(@PathParam("number") String number, @QueryParam("scale") @DefaultValue("4") int scale,
                     @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        return renderer.qrPng(audited(number, AccessAudit.Action.READ_QR, purpose), Math.max(1, Math.min(scale, 12)));
    }

    @GET
    @RolesAllowed(Roles.CLINICIAN)
    @Path("/{number}/pdf")
    @Produces("application/pdf")
    public Response pdf(@PathParam("number") String number, @HeaderParam(Caller.PURPOSE_HEADER) String purpose)
            throws SQLException {
        byte[] pdf = renderer.pdf(audited(number, AccessAudit.Action.READ_PDF, purpose));
        return Response.ok(pdf).header("Content-Disposition", "inline; filename=\"" + number + ".pdf\"").build();
    }

    private IssuedCertificate audited(String number, AccessAudit.Action action, String purpose) throws SQLException {
        Caller caller = Callers.withPurpose(identity, purpose);
        IssuedCertificate c = issuer.find(number).orElseThrow(() -> new IssuanceException(IssuanceException.Kind.NOT_FOUND,
                "CERTIFICATE_NOT_FOUND", null, "no certificate " + number, null));
        audit.record(caller, action, number, c.iin());
        return c;
    }
}
