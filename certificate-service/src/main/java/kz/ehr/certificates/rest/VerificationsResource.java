package kz.ehr.certificates.rest;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.smallrye.common.annotation.NonBlocking;
import kz.ehr.certificates.verification.Verifications;
import kz.ehr.certificates.verifier.VerificationResult;

/**
 * Online verification of a token or QR text; the answer is always 200 with a status, never an error. It runs on the
 * I/O threads: a check touches no database (keys and revocations are in memory) and costs at most one ECDSA
 * verification (~1-2 ms of CPU), so the hop to a worker thread would cost more than it protects. Public, so rate-
 * and size-limited per client ({@link PublicVerificationLimits}).
 */
@Path("/api/v1/verifications")
@NonBlocking
public class VerificationsResource {
    @Inject
    Verifications verifications;
    @Inject
    kz.ehr.certificates.config.CertificatesConfig config;

    private int maxTokenChars;

    @jakarta.annotation.PostConstruct
    void init() {
        maxTokenChars = config.verification().maxBodyBytes();
    }

    public record VerificationRequest(String token) {
    }

    /** For REVOKED: {@code revokedAt} says when, and nothing says why (the reason is health data; staff read it). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VerificationView(String status, String kid, String detail, String revokedAt, Map<String, Object> certificate) {
    }

    @POST
    @PermitAll // public verification (API.md), rate-limited per client
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public VerificationView verify(VerificationRequest request) {
        String token = request == null ? null : request.token();
        if (token != null && token.length() > maxTokenChars) {
            // a chunked body carries no Content-Length for the filter to refuse
            throw new jakarta.ws.rs.WebApplicationException(Response.status(413).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(413, "BODY_TOO_LARGE", "Request body too large",
                            "a token is at most " + maxTokenChars + " characters", "token")).build());
        }
        VerificationResult r = verifications.verify(token);
        return new VerificationView(r.status().name(), r.kid(), r.detail(),
                r.revokedAt() == null ? null : r.revokedAt().toString(), r.claims());
    }
}
