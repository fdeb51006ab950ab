package kz.ehr.console.web;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateInstance;
import kz.ehr.console.client.Answer;
import kz.ehr.console.client.Service;
import kz.ehr.console.client.Services;
import kz.ehr.console.session.StaffSession;

/**
 * Certificates: issue for an IIN (with every reason when the person is not eligible), view one with its QR and PDF,
 * and verify a pasted token or an uploaded QR image through the same public verification every verifier uses.
 * A reviewer revokes one by hand (reason from the service's closed list, a comment, a purpose) after a confirmation
 * step; the service revokes it through the same path as the event-driven revocations.
 */
@Path("/certificates")
public class CertificatesResource {
    static final List<String> TYPES = List.of("F075", "F083", "F086", "F026", "F063", "PSYCHIATRIC_CLEARANCE",
            "NARCOLOGICAL_CLEARANCE", "TB_CLEARANCE", "F052");

    @Inject
    Pages pages;
    @Inject
    Services services;

    @GET
    public Response show(@CookieParam(StaffSession.COOKIE) String cookie, @QueryParam("number") String number,
                         @QueryParam("purpose") String purpose) {
        StaffSession session = Pages.signedIn(cookie);
        TemplateInstance page = page(session);
        if (number != null && !number.isBlank()) {
            if (purpose == null || purpose.isBlank()) {
                return Pages.html(400, page.data("error", "Say why you are opening this certificate (purpose)."));
            }
            Answer a = services.get(Service.CERTIFICATES, "/api/v1/certificates/" + Services.segment(number), session.token(), purpose);
            if (!a.ok()) {
                return Pages.html(a.status() == 404 ? 404 : 200, page.data("error", a.problem()));
            }
            page.data("certificate", services.plain(a.json())).data("number", number.strip()).data("purpose", purpose.strip());
        }
        return Pages.html(page);
    }

    @POST
    @Path("/issue")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response issue(@CookieParam(StaffSession.COOKIE) String cookie, @FormParam("iin") String iin,
                          @FormParam("type") String type, @FormParam("purpose") String purpose) {
        StaffSession session = Pages.signedIn(cookie);
        if (purpose == null || purpose.isBlank()) {
            return Pages.html(400, page(session).data("error", "Say why you are issuing (purpose): certificates records it."));
        }
        Answer a = services.post(Service.CERTIFICATES, "/api/v1/certificates", session.token(), purpose,
                Map.of("iin", iin == null ? "" : iin.strip(), "type", type == null ? "" : type));
        if (a.ok()) {
            return Response.seeOther(URI.create("/certificates" + Services.query("number", a.json().path("number").asText(),
                    "purpose", purpose))).build();
        }
        TemplateInstance page = page(session).data("error", a.problem()).data("iin", iin).data("type", type);
        if (a.json() != null && a.json().has("reasons") && a.json().get("reasons").isArray()) {
            page.data("refusals", services.plain(a.json().get("reasons")));
        }
        return Pages.html(a.status() == 422 ? 422 : 400, page);
    }

    @GET
    @Path("/{number}/qr.png")
    public Response qr(@CookieParam(StaffSession.COOKIE) String cookie, @PathParam("number") String number,
                       @QueryParam("purpose") String purpose) {
        return bytes(cookie, number, "/qr.png", purpose, "image/png", null);
    }

    @GET
    @Path("/{number}/pdf")
    public Response pdf(@CookieParam(StaffSession.COOKIE) String cookie, @PathParam("number") String number,
                        @QueryParam("purpose") String purpose) {
        return bytes(cookie, number, "/pdf", purpose, "application/pdf", "attachment; filename=\"certificate-"
                + number.replaceAll("[^A-Za-z0-9-]", "") + ".pdf\"");
    }

    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response verify(@CookieParam(StaffSession.COOKIE) String cookie, @FormParam("token") String token) {
        StaffSession session = Pages.signedIn(cookie);
        return Pages.html(verified(session, token == null ? "" : token.strip()));
    }

    @POST
    @Path("/verify-image")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response verifyImage(@CookieParam(StaffSession.COOKIE) String cookie, @RestForm("file") FileUpload file) throws IOException {
        StaffSession session = Pages.signedIn(cookie);
        if (file == null || file.uploadedFile() == null) {
            return Pages.html(400, page(session).data("error", "Choose an image or PDF with the certificate's QR code."));
        }
        byte[] body = Files.readAllBytes(file.uploadedFile());
        Answer scan = services.postBytes(Service.CERTIFICATES, "/verify/scan", null, body,
                file.contentType() == null ? "application/octet-stream" : file.contentType());
        if (!scan.ok()) {
            return Pages.html(200, page(session).data("error", scan.problem()));
        }
        JsonNode texts = scan.json().path("texts");
        if (texts.isEmpty()) {
            return Pages.html(200, page(session).data("error", "No certificate QR code found in the upload."));
        }
        return Pages.html(verified(session, texts.get(0).asText()));
    }

    /**
     * Revoke, in two steps: the first POST shows what is about to happen (the certificate when the person may open it,
     * the reason, the comment) with a confirm button; only the second ({@code confirm=yes}) calls certificate-service.
     */
    @POST
    @Path("/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@CookieParam(StaffSession.COOKIE) String cookie, @FormParam("number") String number,
                           @FormParam("reason") String reason, @FormParam("comment") String comment,
                           @FormParam("purpose") String purpose, @FormParam("confirm") String confirm) {
        StaffSession session = Pages.signedIn(cookie);
        String n = number == null ? "" : number.strip();
        Map<String, Object> revocation = new java.util.LinkedHashMap<>();
        revocation.put("number", n);
        revocation.put("reason", reason == null ? "" : reason);
        revocation.put("comment", comment == null ? "" : comment.strip());
        revocation.put("purpose", purpose == null ? "" : purpose.strip());
        TemplateInstance page = page(session).data("revocation", revocation);
        if (n.isEmpty() || purpose == null || purpose.isBlank() || comment == null || comment.isBlank()) {
            return Pages.html(400, page.data("error", "Give the certificate number, a comment and the purpose to revoke."));
        }
        if (!"yes".equals(confirm)) {
            if (session.has(kz.ehr.security.Roles.CLINICIAN)) {
                Answer a = services.get(Service.CERTIFICATES, "/api/v1/certificates/" + Services.segment(n), session.token(), purpose);
                if (a.ok()) {
                    page.data("certificate", services.plain(a.json())).data("number", n).data("purpose", purpose.strip());
                } else {
                    return Pages.html(a.status() == 404 ? 404 : 200, page.data("error", a.problem()));
                }
            }
            return Pages.html(page.data("confirming", true));
        }
        Answer a = services.post(Service.CERTIFICATES, "/api/v1/certificates/" + Services.segment(n) + "/revocation",
                session.token(), purpose, Map.of("reason", reason == null ? "" : reason, "comment", comment));
        if (!a.ok()) {
            return Pages.html(a.status() == 404 ? 404 : a.status() == 400 ? 400 : 200, page.data("error", a.problem()));
        }
        return Pages.html(page(session).data("revoked", services.plain(a.json())));
    }

    private TemplateInstance verified(StaffSession session, String token) {
        Answer a = services.post(Service.CERTIFICATES, "/api/v1/verifications", null, null, Map.of("token", token));
        TemplateInstance page = page(session);
        return a.ok() ? page.data("verification", services.plain(a.json())) : page.data("error", a.problem());
    }

    private Response bytes(String cookie, String number, String what, String purpose, String type, String disposition) {
        StaffSession session = Pages.signedIn(cookie);
        Answer a = services.get(Service.CERTIFICATES, "/api/v1/certificates/" + Services.segment(number) + what, session.token(),
                purpose, type);
        if (!a.ok()) {
            return Response.status(a.status()).type("text/plain;charset=UTF-8").entity(a.problem()).build();
        }
        Response.ResponseBuilder r = Response.ok(a.bytes()).type(type);
        return disposition == null ? r.build() : r.header("Content-Disposition", disposition).build();
    }

    private TemplateInstance page(StaffSession session) {
        TemplateInstance page = pages.page("certificates.html", session, Page.CERTIFICATES).data("types", TYPES);
        if (session.has(kz.ehr.security.Roles.REVIEWER)) {
            // the service's closed list, so the form never offers a reason it would refuse
            try {
                Answer reasons = services.get(Service.CERTIFICATES, "/api/v1/certificates/revocation-reasons", session.token(), null);
                page.data(reasons.ok() ? "reasons" : "reasonsError", reasons.ok() ? services.plain(reasons.json()) : reasons.problem());
            } catch (kz.ehr.console.client.ServiceDown e) {
                page.data("reasonsError", e.getMessage());
            }
        }
        return page;
    }
}
