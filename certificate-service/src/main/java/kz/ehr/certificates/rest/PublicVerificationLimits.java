package kz.ehr.certificates.rest;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.verification.ClientRateLimiter;
import kz.ehr.certificates.verifypage.VerifyPageResource;

/**
 * Guards the public endpoints that cost work: verification (an ECDSA check) and the revocation lists (a query and an
 * ECDSA signature per key on every download) share a per-client rate limit (429 + Retry-After); verification also
 * has a body size limit (413). Both are answered before the body is read. The client is the connection's remote address;
 * X-Forwarded-For counts only where Quarkus' proxy support trusts the proxy that sent it (then Vert.x has already
 * put the forwarded address into {@code remoteAddress()}).
 */
@ApplicationScoped
public class PublicVerificationLimits {
    @Inject
    CertificatesConfig config;

    private ClientRateLimiter limiter;

    @PostConstruct
    void init() {
        CertificatesConfig.Verification v = config.verification();
        limiter = new ClientRateLimiter(v.ratePerSecond(), v.burst(), v.maxTrackedClients(), System::nanoTime);
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext context, HttpServerRequest request, SimpleResourceInfo resource) {
        if (!limited(resource)) {
            return null;
        }
        SocketAddress remote = request.remoteAddress();
        String client = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
        ClientRateLimiter.Decision decision = limiter.tryAcquire(client);
        if (!decision.allowed()) {
            return problem(Problem.of(429, "RATE_LIMITED", "Too many verifications",
                    "more than " + config.verification().ratePerSecond() + " verifications or revocation-list downloads per second (burst "
                            + config.verification().burst() + ") from one client; retry after the time in Retry-After", null))
                    .header(HttpHeaders.RETRY_AFTER, decision.retryAfterSeconds()).build();
        }
        String length = context.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        long max = isScan(resource) ? config.verification().maxUploadBytes() : config.verification().maxBodyBytes();
        if (length != null && tooLarge(length, max)) {
            return problem(Problem.of(413, "BODY_TOO_LARGE", "Request body too large",
                    "a " + (isScan(resource) ? "scan upload" : "verification request") + " is at most " + max + " bytes", null)).build();
        }
        return null;
    }

    private static boolean limited(SimpleResourceInfo resource) {
        return resource != null && (resource.getResourceClass() == VerificationsResource.class || isScan(resource)
                || resource.getResourceClass() == KeysResource.class && REVOCATION_LISTS.contains(resource.getMethodName()));
    }

    /** The verification page's upload: decoding a photo or PDF costs more than a verification, so it is limited too. */
    private static boolean isScan(SimpleResourceInfo resource) {
        return resource != null && resource.getResourceClass() == VerifyPageResource.class && "scan".equals(resource.getMethodName());
    }

    private static final java.util.Set<String> REVOCATION_LISTS = java.util.Set.of("revocations", "allRevocations");

    private static boolean tooLarge(String contentLength, long max) {
        try {
            return Long.parseLong(contentLength.trim()) > max;
        } catch (NumberFormatException e) {
            return false; // Vert.x itself refuses a malformed Content-Length
        }
    }

    private static Response.ResponseBuilder problem(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p);
    }
}
