package kz.ehr.certificates.verifypage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.eligibility.CertificateType;
import kz.ehr.certificates.rendering.FormTexts;
import kz.ehr.certificates.rest.Problem;

/**
 * The public verification page: {@code GET /verify} for anyone who holds a certificate on paper or a phone, no
 * sign-in. The page itself checks nothing: it sends the pasted or scanned text to {@code POST /api/v1/verifications}
 * (the same verification and rate limit as any verifier's), and uploads to {@code POST /verify/scan}, which only
 * finds the QR texts in an image or PDF (rate-limited like verification, see PublicVerificationLimits). A static page
 * and a small script of our own, no framework and nothing from another host: the network is assumed hostile.
 */
@Path("/verify")
@PermitAll // the public verify page: anyone checks a certificate, as with POST /api/v1/verifications
public class VerifyPageResource {
    /** Only our own files: no inline script, no other host; the camera for this page only. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "media-src 'self' blob: mediastream:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final Map<String, String> ASSETS = Map.of("verify.js", "text/javascript; charset=utf-8",
            "verify.css", "text/css; charset=utf-8");

    @Inject
    CertificatesConfig config;

    private Semaphore decoding;

    @PostConstruct
    void init() {
        decoding = new Semaphore(config.verification().maxConcurrentScans());
    }

    /** The QR texts found in an upload. */
    public record ScanResult(List<String> texts) {
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page() {
        return asset("verify.html", "text/html; charset=utf-8");
    }

    /** The forms' names for the page, from the same table the documents print ({@link FormTexts}). */
    @GET
    @Path("/forms.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Map<String, String>> forms() {
        Map<String, Map<String, String>> forms = new java.util.TreeMap<>();
        for (CertificateType type : CertificateType.values()) {
            FormTexts.Form f = FormTexts.form(type);
            forms.put(type.name(), Map.of("code", f.code() == null ? "" : f.code(), "kk", f.title().kk(), "ru", f.title().ru()));
        }
        return forms;
    }

    @GET
    @Path("/{file}")
    public Response file(@PathParam("file") String file) {
        String type = ASSETS.get(file);
        return type == null ? Response.status(404).build() : asset(file, type);
    }

    /**
     * Finds the certificate QR codes in a photo, screenshot or PDF (the body, any content type). Decoding costs CPU, so
     * besides the per-client rate limit at most {@code max-concurrent-scans} run at once; beyond that 503 + Retry-After.
     */
    @POST
    @Path("/scan")
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response scan(byte[] upload) {
        if (upload == null || upload.length == 0) {
            return problem(400, "BODY_MISSING", "Nothing uploaded", "send the image or PDF as the request body");
        }
        if (upload.length > config.verification().maxUploadBytes()) {
            return problem(413, "BODY_TOO_LARGE", "Upload too large", "an upload is at most " + config.verification().maxUploadBytes() + " bytes");
        }
        if (!decoding.tryAcquire()) {
            return Response.fromResponse(problem(503, "BUSY", "Busy", "too many uploads are being read; retry in a second"))
                    .header("Retry-After", 1).build();
        }
        try {
            return Response.ok(new ScanResult(QrImages.find(upload))).build();
        } catch (QrImages.Unreadable e) {
            return problem("QR_NOT_FOUND".equals(e.code) ? 422 : 415, e.code, "No certificate QR code", e.getMessage());
        } finally {
            decoding.release();
        }
    }

    private static Response asset(String name, String type) {
        try (InputStream in = VerifyPageResource.class.getClassLoader().getResourceAsStream("verify-page/" + name)) {
            if (in == null) {
                return Response.status(404).build();
            }
            return Response.ok(in.readAllBytes(), type)
                    .header("Content-Security-Policy", CSP)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Permissions-Policy", "camera=(self)")
                    .header("Cache-Control", "no-cache")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response problem(int status, String code, String title, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.of(status, code, title, detail, null)).build();
    }
}
