package kz.ehr.certificates.rest;

import java.net.URI;
import java.sql.SQLException;
import java.util.Map;

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

import io.smallrye.common.annotation.Blocking;
import kz.ehr.certificates.issuance.CertificateIssuer;
import kz.ehr.certificates.issuance.IssuanceException;
import kz.ehr.certificates.issuance.IssuedCertificate;
import kz.ehr.certificates.rendering.CertificateRenderer;
import kz.ehr.certificates.verifier.QrPayload;

/** Issue a certificate, and read it back as JSON, QR code or PDF (reads are audited: they show personal data). */
@Path("/api/v1/certificates")
@Blocking
public class CertificatesResource {
    @Inject
    CertificateIssuer issuer;
    @Inject
    CertificateRenderer renderer;

    public record IssueRequest(String iin, String type) {
    }

    public record CertificateView(String number, String type, String form, String iin, String name, String issuedAt,
                                  String expiresAt, String conclusion, String kid, String status, String revocationReason,
                                  Map<String, Object> content, String token, String qr, Map<String, String> links) {
        static CertificateView of(IssuedCertificate c) {
            @SuppressWarnings("unchecked")
            Map<String, Object> content = (Map<String, Object>) c.claims().get("c");
            String base = "/api/v1/certificates/" + c.number();
            return new CertificateView(c.number(), c.type(), (String) c.claims().get("form"), c.iin(),
                    (String) c.claims().get("name"), c.issuedAt().toString(), c.expiresAt().toString(), c.conclusion(),
                    c.kid(), c.revokedAt() == null ? "ACTIVE" : "REVOKED", c.revocationReason(), content, c.token(),
                    QrPayload.encode(c.token()), Map.of("qr", base + "/qr.png", "pdf", base + "/pdf"));
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response issue(IssueRequest request) throws SQLException {
        if (request == null) {
            throw new IssuanceException(IssuanceException.Kind.INVALID_REQUEST, "BODY_MISSING", null,
                    "send {\"iin\", \"type\"}", null);
        }
        IssuedCertificate c = issuer.issue(request.iin(), request.type());
        return Response.created(URI.create("/api/v1/certificates/" + c.number())).entity(CertificateView.of(c)).build();
    }

    @GET
    @Path("/{number}")
    @Produces(MediaType.APPLICATION_JSON)
    public CertificateView get(@PathParam("number") String number, @HeaderParam("X-Actor") @DefaultValue("anonymous") String actor,
                               @HeaderParam("X-Purpose") String purpose) throws SQLException {
        return CertificateView.of(audited(number, actor, "READ", purpose));
    }

    @GET
    @Path("/{number}/qr.png")
    @Produces("image/png")
    public byte[] qr(@PathParam("number") String number, @QueryParam("scale") @DefaultValue("4") int scale,
                     @HeaderParam("X-Actor") @DefaultValue("anonymous") String actor, @HeaderParam("X-Purpose") String purpose)
            throws SQLException {
        return renderer.qrPng(audited(number, actor, "READ_QR", purpose), Math.max(1, Math.min(scale, 12)));
    }

    @GET
    @Path("/{number}/pdf")
    @Produces("application/pdf")
    public Response pdf(@PathParam("number") String number, @HeaderParam("X-Actor") @DefaultValue("anonymous") String actor,
                        @HeaderParam("X-Purpose") String purpose) throws SQLException {
        byte[] pdf = renderer.pdf(audited(number, actor, "READ_PDF", purpose));
        return Response.ok(pdf).header("Content-Disposition", "inline; filename=\"" + number + ".pdf\"").build();
    }

    private IssuedCertificate audited(String number, String actor, String action, String purpose) throws SQLException {
        IssuedCertificate c = issuer.find(number).orElseThrow(() -> new IssuanceException(IssuanceException.Kind.NOT_FOUND,
                "CERTIFICATE_NOT_FOUND", null, "no certificate " + number, null));
        issuer.audit(actor, action, number, c.iin(), purpose);
        return c;
    }
}
